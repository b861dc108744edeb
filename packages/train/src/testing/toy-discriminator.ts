import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@th/backend';
import type { Discriminator } from '../losses/adversarial';

/**
 * Test support: a tiny smooth conditional discriminator for 4x4 images built only from ops with
 * verified second derivatives: conv2d → softplus → 2x2 mean pool (reshape + mean) → conv2d →
 * softplus → flatten → matMul. Smooth (no kinks), so finite differences are reliable.
 * Parameters are a flat list so tests can perturb them: [w1 3x3xCx4, b1 4, w2 3x3x4x4, w3 16x1].
 */
export const TOY_SHAPES: number[][] = [[3, 3, 6, 4], [4], [3, 3, 4, 4], [16, 1]];

export function toyParams(seed: number): Float64Array[] {
  const rng = createRng(seed);
  return TOY_SHAPES.map((s) => {
    const n = s.reduce((a, b) => a * b, 1);
    const fanIn = s.length === 4 ? s[0]! * s[1]! * s[2]! : s.length === 2 ? s[0]! : 1;
    return Float64Array.from(rng.normalArray(n, 1.5 / Math.sqrt(fanIn)));
  });
}

export function toyDiscriminator(params: tf.Tensor[]): Discriminator {
  const [w1, b1, w2, w3] = params as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor2D];
  return (x) => {
    const n = x.shape[0];
    const h1 = tf.softplus(tf.add(tf.conv2d(x, w1, 1, 'same'), b1));
    const pooled = tf.mean(tf.reshape(h1, [n, 2, 2, 2, 2, 4]), [2, 4]) as tf.Tensor4D;
    const h2 = tf.softplus(tf.conv2d(pooled, w2, 1, 'same'));
    return tf.sub(tf.matMul(tf.reshape(h2, [n, 16]), w3), 0.3) as tf.Tensor2D;
  };
}

export function toTensors(flat: Float64Array[]): tf.Tensor[] {
  return flat.map((p, i) => tf.tensor(Float32Array.from(p), TOY_SHAPES[i]!));
}
