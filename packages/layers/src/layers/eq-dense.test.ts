import * as tf from '@tensorflow/tfjs-core';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { EqDense } from './eq-dense';

describeBackends('EqDense', () => {
  it('computes x (W gain/sqrt(in)) + b with an unscaled bias', () => {
    const dense = new EqDense({ inFeatures: 3, outFeatures: 2 });
    const w = [1, 2, 3, 4, 5, 6]; // [3, 2] row-major
    dense.loadStateDict({ weight: tf.tensor2d(w, [3, 2]), bias: tf.tensor1d([10, -10]) });
    const x = tf.tensor2d([1, 0, -1, 0.5, 0.5, 0.5], [2, 3]);
    const c = Math.SQRT2 / Math.sqrt(3);
    const y = dense.forward(x).dataSync();
    // Row 0: (1*1 + 0*3 - 1*5, 1*2 + 0*4 - 1*6) = (-4, -4); row 1: 0.5*(9, 12).
    const expected = [-4 * c + 10, -4 * c - 10, 4.5 * c + 10, 6 * c - 10];
    for (const [i, v] of expected.entries()) expect(y[i]).toBeCloseTo(v, 5);
    tf.dispose(x);
    dense.dispose();
  });

  it('applies the lr multiplier to weights and bias', () => {
    const dense = new EqDense({
      inFeatures: 1,
      outFeatures: 1,
      gain: 1,
      lrMultiplier: 0.5,
      bias: true,
    });
    dense.loadStateDict({ weight: tf.tensor2d([[4]]), bias: tf.tensor1d([2]) });
    const x = tf.tensor2d([[3]]);
    // y = 3 * (4 * 0.5 * 1/sqrt(1)) + 2 * 0.5 = 7
    expect(dense.forward(x).dataSync()[0]).toBeCloseTo(7, 6);
    tf.dispose(x);
    dense.dispose();
  });

  it('counts in*out (+out) parameters and checks its input', () => {
    expect(new EqDense({ inFeatures: 4608, outFeatures: 512 }).numParams()).toBe(4608 * 512 + 512);
    expect(new EqDense({ inFeatures: 3, outFeatures: 5, bias: false }).numParams()).toBe(15);
    const d = new EqDense({ inFeatures: 3, outFeatures: 2 }).initialize(1);
    const x = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => d.forward(x)).toThrow(/expected input \[N, 3\], got shape \[2,4\]/);
    tf.dispose(x);
    d.dispose();
  });

  it('has first-order and nested gradients matching finite differences', async () => {
    const dense = new EqDense({ inFeatures: 4, outFeatures: 3 }).initialize(5);
    const x = randomVariable([2, 4]);
    const s = checkScalars((t) => tf.square(dense.forward(t as tf.Tensor2D)), x);
    const vars = [x, ...dense.trainableVariables()];
    await checkGradient(s.first, [], { variables: vars, tolerance: 5e-3 });
    await checkGradient(s.nested, [], { variables: vars, tolerance: 1e-2 });
    s.dispose();
    x.dispose();
    dense.dispose();
  });

  it('leaks no tensors across forward/backward passes', async () => {
    const dense = new EqDense({ inFeatures: 3, outFeatures: 2 }).initialize(1);
    const x = tf.ones([2, 3]) as tf.Tensor2D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(() => tf.sum(dense.forward(x)) as tf.Scalar, dense.trainableVariables());
      });
    });
    expect(leaked).toBe(0);
    tf.dispose(x);
    dense.dispose();
  });
});
