import * as tf from '@tensorflow/tfjs-core';
import type { ExampleBatch } from './example-source';

/**
 * Colour augmentation of a training batch, one random transform per example: each colour
 * channel c of every frame of the example (its K sources and its target, all the same way) goes
 * through y = clip(g_c · x + o_c) on the [0, 1] scale, with gain g_c uniform in [1 − s, 1 + s]
 * and offset o_c uniform in [−s/2, s/2]. Landmark images and the segmentation are not touched.
 *
 * Why: with few identities (three in this project's campaigns) G^I can learn each person's colours
 * by heart and ignore its shots; an example whose colours change at random can only be rendered
 * right by reading them from its shots. The transforms come from `seed` (per step), so a resumed
 * run sees the batches an uninterrupted run would have.
 */
export function colorJitter(batch: ExampleBatch, strength: number, seed: number): ExampleBatch {
  if (!(strength >= 0 && strength <= 1))
    throw new Error(`colorJitter: strength must be in [0, 1], got ${strength}`);
  if (strength === 0) return batch;
  const b = batch.target.shape[0];
  const [sources, target] = tf.tidy(() => {
    const gain = tf.randomUniform([b, 1, 1, 3], 1 - strength, 1 + strength, 'float32', seed);
    const offset = tf.randomUniform([b, 1, 1, 3], -strength / 2, strength / 2, 'float32', seed + 1);
    // On the [-1, 1] scale: y = 2·clip(g·(x + 1)/2 + o) − 1 = clip(g·x + (g − 1 + 2o), −1, 1).
    const shift = tf.add(tf.sub(gain, 1), tf.mul(offset, 2));
    const apply = (x: tf.Tensor, g: tf.Tensor, s: tf.Tensor) =>
      tf.clipByValue(tf.add(tf.mul(x, g), s), -1, 1);
    const perShot = (t: tf.Tensor) => tf.reshape(t, [b, 1, 1, 1, 3]);
    return [
      apply(batch.sources, perShot(gain), perShot(shift)) as tf.Tensor5D,
      apply(batch.target, gain, shift) as tf.Tensor4D,
    ];
  }) as [tf.Tensor5D, tf.Tensor4D];
  batch.sources.dispose();
  batch.target.dispose();
  return { ...batch, sources, target };
}
