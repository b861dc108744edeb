import * as tf from '@tensorflow/tfjs-core';
import { describeBackends, tensorsLeakedPerRun } from '@th/backend/test';
import { expect, it } from 'vitest';
import { LayoutPyramid } from './layout-pyramid';

describeBackends('LayoutPyramid', () => {
  it('each level is the exact block mean of the input (12x8 -> 6x4 -> 3x2)', () => {
    const layout = tf.randomUniform([2, 12, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout);
    expect(pyramid.sizes()).toEqual([
      [12, 8],
      [6, 4],
      [3, 2],
    ]);
    const input = layout.arraySync();
    for (const [h, w] of pyramid.sizes()) {
      const f = 12 / h;
      const level = pyramid.at(h, w).arraySync();
      for (let n = 0; n < 2; n++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++)
            for (let c = 0; c < 3; c++) {
              let sum = 0;
              for (let a = 0; a < f; a++)
                for (let b = 0; b < f; b++) sum += input[n]![i * f + a]![j * f + b]![c]!;
              expect(level[n]![i]![j]![c]).toBeCloseTo(sum / (f * f), 5);
            }
    }
    pyramid.dispose();
    layout.dispose();
  });

  it('names the available sizes when a level is missing, and honours minSize', () => {
    const layout = tf.zeros([1, 8, 8, 2]) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout, 2);
    expect(pyramid.sizes().map(([h]) => h)).toEqual([8, 4, 2]);
    expect(() => pyramid.at(3, 3)).toThrow(/no level of size 3x3 \(available: 8x8, 4x4, 2x2\)/);
    expect(pyramid.channels).toBe(2);
    pyramid.dispose();
    layout.dispose();
  });

  it('owns only the levels it computed', async () => {
    const layout = tf.ones([1, 8, 8, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      new LayoutPyramid(layout).dispose();
    });
    expect(leaked).toBe(0);
    expect(layout.isDisposed).toBe(false);
    layout.dispose();
  });
});
