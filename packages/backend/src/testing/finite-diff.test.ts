import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from './describe-backends';
import {
  checkGradient,
  checkNestedGradient,
  directionalDerivative,
  relativeError,
  vectorRelativeError,
} from './finite-diff';

describeBackends('finite-difference helpers', () => {
  it('directionalDerivative of sum(x^3) along v equals sum(3 x^2 v)', async () => {
    const x = tf.tensor1d([0.5, -1.2, 2]);
    const v = tf.tensor1d([1, 0.3, -0.7]);
    const exact = 3 * (0.25 * 1 + 1.44 * 0.3 + 4 * -0.7);
    const numeric = await directionalDerivative(
      (t) => tf.sum(tf.pow(t as tf.Tensor, tf.scalar(3))),
      [x],
      [v],
    );
    expect(relativeError(numeric, exact)).toBeLessThan(1e-4);
    tf.dispose([x, v]);
  });

  it('checkGradient passes a correct gradient and flags a wrong one', async () => {
    const x = tf.tensor1d([0.3, -0.8, 1.1, 0.2]);
    const right = await checkGradient(
      (t) => tf.sum(tf.mul(tf.sin(t as tf.Tensor), t as tf.Tensor)),
      [x],
    );
    expect(right.relError).toBeLessThan(1e-4);
    // A custom op whose declared gradient is off by 10 %.
    const skewed = tf.customGrad((t: tf.Tensor | tf.GradSaveFunc) => ({
      value: tf.square(t as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(t as tf.Tensor, 2.2)),
    }));
    const wrong = await checkGradient((t) => tf.sum(skewed(t) as tf.Tensor), [x]);
    expect(wrong.relError).toBeGreaterThan(0.05);
    tf.dispose(x);
  });

  it('checkNestedGradient verifies Hessian-vector products (cubic: H = diag(6x))', async () => {
    const x = tf.tensor1d([0.4, -0.9, 1.5]);
    const check = await checkNestedGradient(
      (t) => tf.sum(tf.mul(tf.square(t as tf.Tensor), t as tf.Tensor)),
      [x],
    );
    expect(check.relError).toBeLessThan(1e-4);
    expect(check.analytic.length).toBe(3);
    tf.dispose(x);
  });

  it('relative errors handle zeros and mismatched lengths', () => {
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1, 1.01)).toBeCloseTo(0.01 / 1.01, 10);
    expect(vectorRelativeError([3, 4], [3, 4.5])).toBeCloseTo(0.5 / Math.hypot(3, 4.5), 10);
    expect(() => vectorRelativeError([1], [1, 2])).toThrow(/lengths differ/);
  });
});
