import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from '../testing/describe-backends';
import { createRng } from '../util/rng';
import { leakyRelu } from './activations';
import { logSoftmax } from './log-softmax';
import { avgPool2, boxDownsample } from './pooling';
import { upsampleBilinear2x } from './upsample';

async function expectClose(a: tf.Tensor, b: tf.Tensor, tol = 1e-6) {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [await a.data(), await b.data()];
  let worst = 0;
  x.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - (y[i] as number)));
  });
  expect(worst).toBeLessThan(tol);
}

describeBackends('resampling and activation ops', () => {
  const rng = createRng(9);
  const input = (shape: [number, number, number, number]) =>
    tf.tensor4d(rng.normalArray(shape.reduce((a, b) => a * b)), shape);

  it('upsampleBilinear2x equals resizeBilinear(2H, 2W, alignCorners=false, halfPixelCenters=true)', async () => {
    for (const shape of [
      [2, 3, 5, 2],
      [1, 1, 4, 1],
      [1, 4, 1, 3],
    ] as [number, number, number, number][]) {
      const x = input(shape);
      await expectClose(
        upsampleBilinear2x(x),
        tf.image.resizeBilinear(x, [2 * shape[1], 2 * shape[2]], false, true),
      );
    }
  });

  it('avgPool2 equals tf.avgPool(2, 2, valid), including odd sizes (7 -> 3)', async () => {
    for (const shape of [
      [2, 7, 7, 3],
      [1, 4, 6, 2],
      [1, 5, 2, 1],
    ] as [number, number, number, number][]) {
      const x = input(shape);
      const y = avgPool2(x);
      expect(y.shape.slice(1, 3)).toEqual([Math.floor(shape[1] / 2), Math.floor(shape[2] / 2)]);
      await expectClose(y, tf.avgPool(x, 2, 2, 'valid'));
    }
  });

  it('boxDownsample is the exact block mean (vs tf.avgPool with a factor-sized window)', async () => {
    for (const factor of [1, 2, 3, 4]) {
      const x = input([2, 12, 8 * (factor === 3 ? 3 : 1), 2]);
      await expectClose(boxDownsample(x, factor), tf.avgPool(x, factor, factor, 'valid'));
    }
    const x = input([1, 6, 6, 1]);
    expect(() => boxDownsample(x, 4)).toThrow(/must be divisible by the factor 4/);
    expect(() => boxDownsample(x, 1.5)).toThrow(/factor must be an integer >= 1/);
    expect(() => avgPool2(input([1, 1, 4, 1]))).toThrow(/H and W must be >= 2/);
  });

  it('leakyRelu matches the definition for several alphas; logSoftmax matches tf.logSoftmax', async () => {
    const x = tf.tensor1d([-3, -0.5, 0, 0.25, 4]);
    for (const alpha of [0, 0.2, 1, 1.5]) {
      const expected = tf.tensor1d([-3 * alpha, -0.5 * alpha, 0, 0.25, 4]);
      await expectClose(leakyRelu(x, alpha), expected);
    }
    const logits = tf.tensor2d([
      [1, 2, 3],
      [100, -100, 50],
    ]);
    await expectClose(logSoftmax(logits), tf.logSoftmax(logits), 1e-5);
    expect(() => leakyRelu(x, Number.NaN)).toThrow(/alpha must be a finite number/);
    expect(() => leakyRelu(tf.tensor1d([1], 'int32'))).toThrow(
      /expected a float32 tf.Tensor, got int32/,
    );
  });
});
