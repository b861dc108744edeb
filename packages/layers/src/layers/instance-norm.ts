import * as tf from '@tensorflow/tfjs-core';
import { instanceNormFused, leakyRelu } from '@th/backend';

/** LSR's epsilon (TF-Addons InstanceNormalization default). */
export const LSR_INSTANCE_NORM_EPSILON = 1e-3;

/**
 * Parameter-free instance normalisation (Ulyanov et al. 2016; LSR uses TF-Addons
 * `InstanceNormalization(center=False, scale=False)`): per sample n and channel c, over H and W,
 *
 *   IN(x) = (x - mu) / sqrt(var + eps),   mu = mean(x),  var = mean((x - mu)^2)  (population),
 *
 * written with mean, sub, square, sqrt and div only, whose gradients use their inputs (not their
 * outputs), so nested gradients through it are correct in tfjs. On WebGPU with @th's runtime the
 * same function runs as two fused kernels (first-order gradients only: D, the one network R1/R2
 * differentiate twice, has no instance norm).
 */
export function instanceNorm(
  x: tf.Tensor4D,
  epsilon = LSR_INSTANCE_NORM_EPSILON,
  leakySlope?: number,
): tf.Tensor4D {
  if (x.rank !== 4) throw new Error(`instanceNorm: expected NHWC rank-4 input, got [${x.shape}]`);
  if (!(epsilon >= 0)) throw new Error(`instanceNorm: epsilon must be >= 0, got ${epsilon}`);
  const fused = instanceNormFused(x, epsilon, null, null, leakySlope);
  if (fused) return fused;
  return tf.tidy(() => {
    const mean = tf.mean(x, [1, 2], true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), [1, 2], true);
    return activate(
      tf.div(centered, tf.sqrt(tf.add(variance, epsilon))) as tf.Tensor4D,
      leakySlope,
    );
  });
}

/** Leaky ReLU with `slope` after a norm, or the norm's output alone (slope undefined). */
function activate(y: tf.Tensor4D, slope: number | undefined): tf.Tensor4D {
  return slope === undefined ? y : leakyRelu(y, slope);
}

/**
 * Modulation shared by AdaIN and SPADE (LSR `FeatureModulation`): IN(x) * (1 + gamma) + beta.
 * gamma and beta broadcast against x: [N,1,1,C] (per channel) or [N,H,W,C] (spatial). With
 * `leakySlope`, leaky ReLU follows (the blocks' pre-activation: one kernel with the modulation in
 * WebGPU inference).
 */
export function modulate(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon = LSR_INSTANCE_NORM_EPSILON,
  leakySlope?: number,
): tf.Tensor4D {
  if (x.rank !== 4) throw new Error(`modulate: expected NHWC rank-4 input, got [${x.shape}]`);
  const fused = instanceNormFused(x, epsilon, gamma, beta, leakySlope);
  if (fused) return fused;
  return tf.tidy(() =>
    activate(
      tf.add(tf.mul(instanceNorm(x, epsilon), tf.add(gamma, 1)), beta) as tf.Tensor4D,
      leakySlope,
    ),
  );
}

/** `instanceNorm` as a (parameter-free) layer, for blocks whose norm is configurable. */
export class InstanceNorm {
  constructor(readonly epsilon = LSR_INSTANCE_NORM_EPSILON) {}

  forward(x: tf.Tensor4D, leakySlope?: number): tf.Tensor4D {
    return instanceNorm(x, this.epsilon, leakySlope);
  }
}
