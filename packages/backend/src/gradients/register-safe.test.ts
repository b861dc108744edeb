import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from '../testing/describe-backends';
import { registerSafeGradients } from './register-safe';

/** Second derivative of a scalar function at x, by nested tf.grad. */
async function secondDerivative(f: (x: tf.Tensor) => tf.Tensor, x: number): Promise<number> {
  const d2 = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.grad(f)(t))(tf.scalar(x)));
  const value = (await d2.data())[0] as number;
  d2.dispose();
  return value;
}

describeBackends('registerSafeGradients', () => {
  it('is idempotent, returns the kernels it registered, and those save no outputs', () => {
    const first = registerSafeGradients();
    const second = registerSafeGradients();
    expect(second).toEqual(first);
    for (const name of [
      'Tanh',
      'Sigmoid',
      'Exp',
      'Softmax',
      'Elu',
      'Pow',
      'Max',
      'Greater',
      'AvgPoolGrad',
      'ResizeBilinearGrad',
      'MirrorPad',
    ]) {
      expect(first).toContain(name);
      expect(tf.getGradient(name)?.outputsToSave ?? []).toEqual([]);
    }
  });

  it('nested gradients match closed-form second derivatives (tfjs alone gets them wrong)', async () => {
    const x = 0.5;
    const t = Math.tanh(x);
    const s = 1 / (1 + Math.exp(-x));
    expect(await secondDerivative((v) => tf.tanh(v), x)).toBeCloseTo(-2 * t * (1 - t * t), 5);
    expect(await secondDerivative((v) => tf.sigmoid(v), x)).toBeCloseTo(
      s * (1 - s) * (1 - 2 * s),
      5,
    );
    expect(await secondDerivative((v) => tf.exp(v), x)).toBeCloseTo(Math.exp(x), 5);
    // elu'' = exp(x) for x < 0; pow(x, 3)'' = 6x.
    expect(await secondDerivative((v) => tf.elu(v), -0.7)).toBeCloseTo(Math.exp(-0.7), 5);
    expect(await secondDerivative((v) => tf.pow(v, tf.scalar(3)), 1.3)).toBeCloseTo(6 * 1.3, 4);
    // leakyRelu'' = 0, but tfjs alone throws "gradient function not found for Greater".
    expect(await secondDerivative((v) => tf.mul(tf.leakyRelu(v, 0.2), v), -2)).toBeCloseTo(0.4, 5);
  });

  it('MirrorPad gradient adds the mirrored border contributions (tfjs only slices the centre)', async () => {
    // reflect-pad [a, b, c] by (2, 1): [c, b, a, b, c, b]; weights are powers of ten so every
    // contribution shows up as its own digit.
    const w = tf.tensor1d([1, 10, 100, 1000, 10000, 100000]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(x, [[2, 1]], 'reflect'), w)))(
      tf.tensor1d([1, 2, 3]),
    );
    expect(Array.from(await g.data())).toEqual([100, 10 + 1000 + 100000, 1 + 10000]);
    // symmetric-pad by (1, 2): [a, a, b, c, c, b].
    const h = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(x, [[1, 2]], 'symmetric'), w)))(
      tf.tensor1d([1, 2, 3]),
    );
    expect(Array.from(await h.data())).toEqual([1 + 10, 100 + 100000, 1000 + 10000]);
    tf.dispose([w, g, h]);
  });

  it('mean and sum gradients broadcast dy on the device: exact values, exact second order, no tensor filled in JavaScript', async () => {
    registerSafeGradients();
    const x = tf.tensor3d([1, -2, 3, 4, 0.5, -6, 7, 8, -9, 10, 11, 12], [2, 3, 2]);
    const w = tf.tensor2d([1, 10, 100, 1000], [2, 2]);
    // d/dx sum(mean(x, 1) * w) = w[i, k] / 3 at every (i, j, k); the same without the 1/3 for sum.
    const engine = tf.engine();
    const makeTensor = engine.makeTensor.bind(engine);
    const filledSizes: number[] = [];
    engine.makeTensor = ((...args: Parameters<typeof makeTensor>) => {
      const t = makeTensor(...args);
      filledSizes.push(t.size);
      return t;
    }) as typeof makeTensor;
    let gMean: tf.Tensor;
    let gSum: tf.Tensor;
    try {
      gMean = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mean(v, 1), w)))(x);
      gSum = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.sum(v, 1), w)))(x);
    } finally {
      engine.makeTensor = makeTensor;
    }
    // tfjs's own gradients made ones(x.shape) here (size 12); scalars (the 1/3, the seed dy) remain.
    expect(filledSizes.filter((n) => n === x.size)).toEqual([]);
    const expected = [0, 1, 2].flatMap(() => [1, 10]).concat([0, 1, 2].flatMap(() => [100, 1000]));
    const meanValues = Array.from(await gMean.data());
    for (const [i, e] of expected.entries()) {
      expect(meanValues[i]).toBeCloseTo(Math.fround(e / 3), 3);
    }
    expect(Array.from(await gSum.data())).toEqual(expected);
    // Second order: f(x) = sum(mean(x², 1)) has d²f/dx² = 2/3 on the diagonal, so grad of
    // sum(grad f · c) is 2c/3 (c a constant weight), checked through the nested tape.
    const c = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
    const second = tf.grad((v: tf.Tensor) =>
      tf.sum(tf.mul(tf.grad((u: tf.Tensor) => tf.sum(tf.mean(tf.square(u), 1)))(v), c)),
    )(x);
    const secondValues = Array.from(await second.data());
    for (const [i, ci] of Array.from(await c.data()).entries()) {
      expect(secondValues[i]).toBeCloseTo((2 * ci) / 3, 4);
    }
    // At rank 6 (mean pooling reshapes to [n, h/2, 2, w/2, 2, c]) with dy depending on the input,
    // as in R1: a Tile-based broadcast has no second-order gradient there in tfjs. For
    // g(u) = Σ mean(u over pairs)², grad of Σ ∂g/∂u · c is (2/n²)·(sum of c over u's pair), n = 2.
    const v6 = tf.reshape(x, [1, 2, 1, 3, 2, 1]);
    const c6 = tf.reshape(c, [1, 2, 1, 3, 2, 1]);
    const second6 = tf.grad((v: tf.Tensor) =>
      tf.sum(tf.mul(tf.grad((u: tf.Tensor) => tf.sum(tf.square(tf.mean(u, [2, 4]))))(v), c6)),
    )(v6);
    const second6Values = Array.from(await second6.data());
    const cValues = Array.from(await c.data());
    for (const [i, got] of second6Values.entries()) {
      const pair = i - (i % 2);
      expect(got).toBeCloseTo(0.5 * (cValues[pair]! + cValues[pair + 1]!), 4);
    }
    tf.dispose([x, w, c, gMean!, gSum!, second, v6, c6, second6]);
  });
});
