import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/rng';

/**
 * Scalar probe of an op's output: sum(a * y + b * y^2 / 2) with fixed, position-dependent
 * weights a = cos(0.7 i + 0.3), b = sin(1.3 i). The quadratic term makes the Hessian of a LINEAR
 * op non-zero (A^T diag(b) A), so a nested gradient exercises both the op's forward and its
 * backward; the weights break symmetries that could hide a transposed or mirrored adjoint.
 */
export function probe(y: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const i = tf.reshape(tf.range(0, y.size, 1, 'float32'), y.shape);
    const a = tf.cos(tf.add(tf.mul(i, 0.7), 0.3));
    const b = tf.sin(tf.mul(i, 1.3));
    return tf.sum(tf.add(tf.mul(a, y), tf.mul(tf.mul(b, tf.square(y)), 0.5)));
  });
}

/** N(0, scale^2) tensor from the seeded generator. */
export function normal(rng: Rng, shape: number[], scale = 1): tf.Tensor {
  return tf.tensor(
    rng.normalArray(
      shape.reduce((p, d) => p * d, 1),
      scale,
    ),
    shape,
    'float32',
  );
}

/**
 * Values kept at least `margin` away from 0 (sign * (margin + |N(0,1)|)), for ops with a kink at
 * 0 (relu, abs, leakyRelu, maximum): finite differences across a kink are meaningless.
 */
export function awayFromZero(rng: Rng, shape: number[], margin = 0.3): tf.Tensor {
  const v = rng.normalArray(shape.reduce((p, d) => p * d, 1));
  return tf.tensor(
    v.map((x) => Math.sign(x || 1) * (margin + Math.abs(x))),
    shape,
    'float32',
  );
}

/** Values in [lo, lo + span), for ops defined on positive numbers (sqrt, log, rsqrt, pow). */
export function positive(rng: Rng, shape: number[], lo = 0.5, span = 1.5): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => lo + span * rng.next()),
    shape,
    'float32',
  );
}
