import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from './describe-backends';
import {
  combineDifferences,
  directionalDerivative,
  relativeError,
  vectorRelativeError,
} from './finite-diff';

describeBackends('finite-difference primitives', () => {
  it('directionalDerivative of sum(x^3) along v equals sum(3 x^2 v)', async () => {
    const x = tf.tensor1d([0.5, -1.2, 2]);
    const v = tf.tensor1d([1, 0.3, -0.7]);
    const exact = 3 * (0.25 * 1 + 1.44 * 0.3 + 4 * -0.7);
    const f = (t: tf.Tensor) => tf.sum(tf.pow(t, tf.scalar(3))) as tf.Scalar;
    const numeric = await directionalDerivative(f, [x], [v]);
    expect(relativeError(numeric, exact)).toBeLessThan(1e-4);
    // Without Richardson the O(h^2) term remains: for a cubic it is exactly h^2/6 * f'''(v),
    // with h the fine step 1.5e-2 and f''' along v = 6 * sum(v^3).
    const plain = await directionalDerivative(f, [x], [v], 3e-2, false);
    const truncation = (1.5e-2 ** 2 / 6) * 6 * (1 + 0.3 ** 3 + (-0.7) ** 3);
    expect(plain - exact).toBeCloseTo(truncation, 4);
    tf.dispose([x, v]);
  });

  it('directionalDerivative rejects a function that does not return a scalar', async () => {
    const x = tf.tensor1d([1, 2]);
    await expect(directionalDerivative((t) => t as tf.Scalar, [x], [x])).rejects.toThrow(
      /f must return a scalar tensor, got shape \[2\]/,
    );
    x.dispose();
  });
});

it('Richardson combination cancels the h^2 term: D(h) = d + c h^2, D(h/2) = d + c h^2 / 4', () => {
  const [d, c, h] = [1.7, -3, 0.1];
  const diffs = { coarse: d + c * h * h, fine: d + (c * h * h) / 4 };
  expect(combineDifferences(diffs, true)).toBeCloseTo(d, 12);
  expect(combineDifferences(diffs, false)).toBe(diffs.fine);
});

it('relative errors handle zeros and mismatched lengths', () => {
  expect(relativeError(0, 0)).toBe(0);
  expect(relativeError(1, 1.01)).toBeCloseTo(0.01 / 1.01, 10);
  expect(vectorRelativeError([3, 4], [3, 4.5])).toBeCloseTo(0.5 / Math.hypot(3, 4.5), 10);
  expect(() => vectorRelativeError([1], [1, 2])).toThrow(/lengths differ/);
});
