import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from './describe-backends';
import { numericGradient, unravelIndex, worstElement } from './numeric-gradient';

describeBackends('numericGradient', () => {
  it('equals the closed form of f = sum(x^3) + sum(a * W) for an input x and a variable W', async () => {
    const x = tf.tensor2d([0.5, -1.2, 2, 0.1], [2, 2]);
    const a = [0.3, -0.7, 1.9];
    const aT = tf.tensor1d(a);
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const f = (t: tf.Tensor) => tf.add(tf.sum(tf.pow(t, 3)), tf.sum(tf.mul(aT, w))) as tf.Scalar;
    const [gx, gw] = await numericGradient(f, [x], { variables: [w] });
    const expectedX = [0.5, -1.2, 2, 0.1].map((v) => 3 * v * v);
    for (const [i, v] of expectedX.entries()) expect(gx?.[i]).toBeCloseTo(v, 3);
    for (const [i, v] of a.entries()) expect(gw?.[i]).toBeCloseTo(v, 3);
    expect(Array.from(w.dataSync())).toEqual([1, 2, 3]); // restored
    tf.dispose([x, aT, w]);
  });

  it('rejects a non-positive step', async () => {
    const x = tf.tensor1d([1]);
    await expect(numericGradient((t) => tf.sum(t) as tf.Scalar, [x], { step: -1 })).rejects.toThrow(
      /step must be > 0, got -1/,
    );
    x.dispose();
  });
});

it('unravelIndex maps row-major flat indices to multi-indices', () => {
  expect(unravelIndex(0, [2, 3, 4])).toEqual([0, 0, 0]);
  expect(unravelIndex(23, [2, 3, 4])).toEqual([1, 2, 3]);
  expect(unravelIndex(13, [2, 3, 4])).toEqual([1, 0, 1]);
  expect(unravelIndex(5, [])).toEqual([]);
});

it('worstElement ranks by absolute gap, so near-zero noise does not hide the real error', () => {
  // slot 0 element 1: tiny values, relative error 1 but gap 2e-6; slot 1 element 2: gap 0.5.
  const analytic = [
    [1, 1e-6],
    [0, 0, 3.5],
  ];
  const numeric = [
    [1, -1e-6],
    [0, 0, 3],
  ];
  const w = worstElement(analytic, numeric, ['input 0', 'variable "w"'], [[2], [1, 3]]);
  expect(w).toEqual({
    slot: 'variable "w"',
    index: [0, 2],
    analytic: 3.5,
    numeric: 3,
    relError: 0.5 / 3.5,
  });
  expect(worstElement([[Number.NaN]], [[1]], ['input 0'], [[1]]).analytic).toBeNaN();
});
