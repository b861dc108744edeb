import * as tf from '@tensorflow/tfjs-core';
import { leakyRelu } from '../ops/activations';
import { blurPool } from '../ops/blur-pool';
import { upsampleBilinear2x } from '../ops/upsample';
import type { Rng } from '../util/rng';
import { normal } from './probe';

/** Parameters of the toy discriminator (6x6x2 images). */
export interface ToyDParams {
  w1: tf.Tensor4D; // 3x3, 2 -> 3
  b1: tf.Tensor1D;
  w2: tf.Tensor4D; // 3x3 stride 2, 3 -> 2
  w3: tf.Tensor2D; // dense 18 -> 1
}

export function toyDParams(rng: Rng): ToyDParams {
  return {
    w1: normal(rng, [3, 3, 2, 3], 0.4) as tf.Tensor4D,
    b1: normal(rng, [3], 0.1) as tf.Tensor1D,
    w2: normal(rng, [3, 3, 3, 2], 0.4) as tf.Tensor4D,
    w3: normal(rng, [18, 1], 0.4) as tf.Tensor2D,
  };
}

/**
 * A discriminator built from the ops LSR's D uses: conv -> leakyRelu -> blurPool ->
 * upsampleBilinear2x -> strided conv -> leakyRelu -> dense. Input [N, 6, 6, 2], output [N, 1].
 */
export function toyD(p: ToyDParams, x: tf.Tensor4D): tf.Tensor2D {
  const h1 = leakyRelu(tf.add(tf.conv2d(x, p.w1, 1, 'same'), p.b1));
  const h2 = upsampleBilinear2x(blurPool(h1 as tf.Tensor4D));
  const h3 = leakyRelu(tf.conv2d(h2, p.w2, 2, 'same'));
  return tf.matMul(tf.reshape(h3, [x.shape[0], 18]), p.w3);
}

/**
 * LSR's R1 (docs/design.md#r1-form: the gradient of the per-example softplus LOSS, not of the logit):
 * R1 = sum over the batch of || d softplus(-D(x)) / dx ||^2.
 */
export function r1Penalty(p: ToyDParams, real: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const lossOfInput = (x: tf.Tensor) => tf.sum(tf.softplus(tf.neg(toyD(p, x as tf.Tensor4D))));
    const gradX = tf.grad(lossOfInput)(real);
    return tf.sum(tf.square(gradX));
  });
}

/** Toy generator: z [N, 4] -> dense -> tanh -> [N, 6, 6, 2]. */
export function toyG(w: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor4D {
  return tf.reshape(tf.tanh(tf.matMul(z, w)), [z.shape[0], 6, 6, 2]);
}
