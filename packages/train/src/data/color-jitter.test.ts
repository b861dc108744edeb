import * as tf from '@tensorflow/tfjs-core';
import { describeBackends } from '@th/backend/test';
import { expect, it } from 'vitest';
import { colorJitter } from './color-jitter';
import { disposeBatch, type ExampleBatch } from './example-source';

/** A batch whose K sources all equal the target: b examples, values in [-0.3, 0.3]. */
function batchOf(b: number, k: number, r: number, seed: number): ExampleBatch {
  const target = tf.randomUniform([b, r, r, 3], -0.3, 0.3, 'float32', seed) as tf.Tensor4D;
  const sources = tf.tidy(() => tf.stack(Array(k).fill(target), 1)) as tf.Tensor5D;
  return {
    sources,
    sourceLandmarks: tf.randomUniform([b, k, r, r, 3], -1, 1, 'float32', seed + 1) as tf.Tensor5D,
    target,
    targetLandmarks: tf.randomUniform([b, r, r, 3], -1, 1, 'float32', seed + 2) as tf.Tensor4D,
    targetSegmentation: tf.zeros([b, r, r], 'int32') as tf.Tensor3D,
  };
}

describeBackends('colorJitter', () => {
  it('one affine map per example and channel, the same on its K sources and its target', async () => {
    const batch = batchOf(3, 4, 6, 1);
    const before = { target: await batch.target.array(), lm: await batch.targetLandmarks.data() };
    const out = colorJitter(batch, 0.3, 77);
    const target = (await out.target.array()) as number[][][][];
    const sources = (await out.sources.array()) as number[][][][][];
    // Sources equalled the target before: every shot was transformed exactly as the target.
    for (let i = 0; i < 3; i++)
      for (let s = 0; s < 4; s++) expect(sources[i]![s]).toEqual(target[i]);
    // Per example and channel, y = g·x + shift (|g·x + shift| ≤ 1.3·0.3 + 0.6 < 1: no clipping):
    // fit g from two pixels, check it is in [0.7, 1.3] and explains every pixel.
    const gains: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let c = 0; c < 3; c++) {
        const x = (p: number) => before.target[i]![Math.floor(p / 6)]![p % 6]![c]!;
        const y = (p: number) => target[i]![Math.floor(p / 6)]![p % 6]![c]!;
        const g = (y(0) - y(35)) / (x(0) - x(35));
        const shift = y(0) - g * x(0);
        expect(g).toBeGreaterThanOrEqual(0.7 - 1e-5);
        expect(g).toBeLessThanOrEqual(1.3 + 1e-5);
        for (let p = 0; p < 36; p++) {
          const expected = Math.min(1, Math.max(-1, g * x(p) + shift));
          expect(Math.abs(y(p) - expected)).toBeLessThan(1e-5);
        }
        gains.push(g);
      }
    // Different examples and channels get different maps; the landmark image is untouched.
    expect(new Set(gains.map((g) => g.toFixed(4))).size).toBe(9);
    expect(await out.targetLandmarks.data()).toEqual(before.lm);
    disposeBatch(out);
  });

  it('is reproducible from its seed, and strength 0 returns the batch itself', async () => {
    const [a, b] = [
      colorJitter(batchOf(2, 2, 4, 5), 0.2, 9),
      colorJitter(batchOf(2, 2, 4, 5), 0.2, 9),
    ];
    expect(await a.sources.data()).toEqual(await b.sources.data());
    const c = colorJitter(batchOf(2, 2, 4, 5), 0.2, 10);
    expect(await c.target.data()).not.toEqual(await a.target.data());
    const plain = batchOf(1, 1, 2, 3);
    expect(colorJitter(plain, 0, 1)).toBe(plain);
    expect(() => colorJitter(plain, 1.5, 1)).toThrow(/strength must be in \[0, 1\]/);
    for (const x of [a, b, c, plain]) disposeBatch(x);
  });
});
