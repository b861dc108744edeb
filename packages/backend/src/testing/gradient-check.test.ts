import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from './describe-backends';
import { checkGradient, checkNestedGradient } from './gradient-check';
import { tensorsLeakedPerRun } from './memory';

/** square(t) whose declared gradient is 2t * scale: a deliberately wrong gradient where scale != 1. */
const scaledSquare = (scale: number[]) =>
  tf.customGrad((t: tf.Tensor | tf.GradSaveFunc) => ({
    value: tf.square(t as tf.Tensor),
    gradFunc: (dy: tf.Tensor) =>
      tf.mul(dy, tf.mul(tf.mul(t as tf.Tensor, 2), tf.tensor(scale, (t as tf.Tensor).shape))),
  }));

describeBackends('checkGradient / checkNestedGradient', () => {
  it('passes a correct first-order gradient and catches one that is 10 % off', async () => {
    const x = tf.tensor1d([0.3, -0.8, 1.1, 0.2]);
    const right = await checkGradient((t) => tf.sum(tf.mul(tf.sin(t as tf.Tensor), t)), [x]);
    expect(right.relError).toBeLessThan(1e-4);
    const skewed = scaledSquare([1.1, 1.1, 1.1, 1.1]);
    const wrong = await checkGradient((t) => tf.sum(skewed(t) as tf.Tensor), [x]);
    expect(wrong.relError).toBeGreaterThan(0.05);
    x.dispose();
  });

  it('with a tolerance, throws naming the worst element of a wrong gradient', async () => {
    const x = tf.tensor2d([0.3, -0.8, 1.1, 0.2], [2, 2]);
    const skewed = scaledSquare([1, 1, 1.5, 1]); // wrong only at element [1,0]
    const f = (t: tf.Tensor) => tf.sum(skewed(t) as tf.Tensor) as tf.Scalar;
    // d/dx = 2x except 3x at [1,0]: analytic 3.3 vs numeric 2.2 there.
    await expect(checkGradient(f, [x], { tolerance: 1e-3 })).rejects.toThrow(
      /worst element: input 0 \[1,0\]: analytic 3\.30000 vs numeric 2\.(199|200)\d*/,
    );
    await expect(checkGradient(f, [x], { tolerance: 1e-3, localizeLimit: 3 })).rejects.toThrow(
      /4 elements > localizeLimit 3/,
    );
    x.dispose();
  });

  it('checks Hessian-vector products (cubic: H = diag(6x)) and catches a detached gradient', async () => {
    const x = tf.tensor1d([0.4, -0.9, 1.5]);
    const cube = (t: tf.Tensor) => tf.sum(tf.mul(tf.square(t), t)) as tf.Scalar;
    const check = await checkNestedGradient(cube, [x]);
    expect(check.relError).toBeLessThan(1e-4);
    expect(check.analytic.length).toBe(3);
    // A gradient right in value but computed from a copy the tape cannot see (like tfjs' pruned
    // saved outputs): the first order passes, the nested check must fail.
    const detached = tf.customGrad((t: tf.Tensor | tf.GradSaveFunc) => ({
      value: tf.mul(tf.square(t as tf.Tensor), t as tf.Tensor),
      gradFunc: (dy: tf.Tensor) => {
        const copy = tf.tensor((t as tf.Tensor).dataSync(), (t as tf.Tensor).shape);
        return tf.mul(dy, tf.mul(tf.square(copy), 3));
      },
    }));
    const f = (t: tf.Tensor) => tf.sum(detached(t) as tf.Tensor) as tf.Scalar;
    expect((await checkGradient(f, [x])).relError).toBeLessThan(1e-4);
    expect((await checkNestedGradient(f, [x])).relError).toBeGreaterThan(0.5);
    x.dispose();
  });

  it('differentiates w.r.t. variables read through a closure, restores them, leaks nothing', async () => {
    const w = tf.variable(tf.tensor2d([0.5, -0.3, 0.8, 0.1, -0.6, 0.4], [3, 2]), true);
    const x = tf.tensor2d([0.2, -0.7, 1.1, 0.9, 0.3, -0.4], [2, 3]);
    const before = Array.from(w.dataSync());
    const f = (t: tf.Tensor) => tf.sum(tf.square(tf.matMul(t as tf.Tensor2D, w))) as tf.Scalar;
    const first = await checkGradient(f, [x], { variables: [w], tolerance: 1e-4 });
    const nested = await checkNestedGradient(f, [x], { variables: [w], tolerance: 1e-4 });
    expect(
      Math.min(...first.analytic.map(Math.abs), ...nested.analytic.map(Math.abs)),
    ).toBeGreaterThan(1e-2);
    expect(Array.from(w.dataSync())).toEqual(before);
    // A wrong gradient that only a variable sees is caught and named.
    const skewed = scaledSquare([1, 1, 1, 1, 1, 1.3]);
    const g = () => tf.sum(skewed(w) as tf.Tensor) as tf.Scalar;
    await expect(checkGradient(g, [], { variables: [w], tolerance: 1e-3 })).rejects.toThrow(
      `worst element: variable "${w.name}" [2,1]`,
    );
    expect(Array.from(w.dataSync())).toEqual(before);
    const leaked = await tensorsLeakedPerRun(async () => {
      await checkNestedGradient(f, [x], { variables: [w], directions: 1 });
    }, 2);
    expect(leaked).toBe(0);
    tf.dispose([w, x]);
  });

  it('redraws a direction whose stencil straddles a ReLU kink; without retries the check fails', async () => {
    // relu(x) * c: x[0] sits 0.02 from the kink, inside the 3e-2 stencil of most directions.
    const x = tf.tensor1d([0.02, 0.7, -0.9, 0.4]);
    const c = tf.tensor1d([2, -1, 0.5, 1.5]);
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), c)) as tf.Scalar;
    // A kink crossed by the h stencil only, barely, moves D(h) by e and the result by e/3, so
    // the accuracy at kinks is about smoothTolerance / 3: ask for 1e-3. Direction 0 of seed 1
    // straddles the kink in its first 5 draws, hence 8 attempts.
    const robust = await checkGradient(f, [x], {
      directions: 4,
      attempts: 8,
      smoothTolerance: 1e-3,
    });
    expect(robust.redrawn).toBeGreaterThan(0);
    expect(robust.relError).toBeLessThan(1e-4);
    const naive = await checkGradient(f, [x], { directions: 4, attempts: 1 });
    expect(naive.redrawn).toBe(0);
    expect(naive.relError).toBeGreaterThan(1e-2);
    tf.dispose([x, c]);
  });

  it('rejects bad inputs and options with clear errors', async () => {
    const x = tf.tensor1d([1, 2]);
    const f = (t: tf.Tensor) => tf.sum(t) as tf.Scalar;
    await expect(checkGradient(f, [])).rejects.toThrow(/nothing to differentiate/);
    await expect(checkGradient(f, [tf.tensor1d([1], 'int32')])).rejects.toThrow(
      /inputs\[0\] has dtype int32, expected float32/,
    );
    await expect(checkGradient(f, [[1, 2] as unknown as tf.Tensor])).rejects.toThrow(
      /inputs\[0\] is not a tensor/,
    );
    await expect(checkGradient(f, [x], { step: 0 })).rejects.toThrow(
      /step must be a finite number > 0/,
    );
    await expect(checkGradient(f, [x], { directions: 1.5 })).rejects.toThrow(
      /directions must be an integer >= 1, got 1.5/,
    );
    await expect(checkGradient((t) => t as tf.Scalar, [x])).rejects.toThrow(/must return a scalar/);
    x.dispose();
  });
});
