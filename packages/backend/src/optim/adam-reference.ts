import * as tf from '@tensorflow/tfjs-core';
import type { AdamConstants } from './adam-contract';

/**
 * The Keras Adam update written with one tfjs op per arithmetic step, per variable: the form
 * @th/train's Adam used before the multi-tensor kernels, kept as the reference they are tested
 * against (and the path for backends without a multi-tensor implementation).
 */
export function perVariableAdamStep(
  variable: tf.Variable,
  m: tf.Variable,
  v: tf.Variable,
  raw: tf.Tensor,
  stepSize: number,
  c: AdamConstants,
  gradScale = 1,
): void {
  tf.tidy(() => {
    const scaled = gradScale === 1 ? raw : tf.mul(raw, gradScale);
    const g = c.clipValue === null ? scaled : tf.clipByValue(scaled, -c.clipValue, c.clipValue);
    const mNew = tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1));
    const vNew = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
    m.assign(mNew);
    v.assign(vNew);
    const update = tf.div(tf.mul(mNew, stepSize), tf.add(tf.sqrt(vNew), c.epsilon));
    variable.assign(tf.sub(variable, update));
  });
}
