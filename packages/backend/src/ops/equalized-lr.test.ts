import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from '../testing/describe-backends';
import { relErr } from '../testing/fused-reference';
import { createRng } from '../util/rng';
import { scaledConv2d } from './scaled-conv2d';
import { scaledMatMul } from './scaled-matmul';

/**
 * scaledConv2d and scaledMatMul against their definitions written with plain tfjs ops, on the
 * backends of the default test run (cpu: op by op; wasm: @th's fused SIMD conv outside a tape,
 * the activation and residual after it). Values outside and under a gradient tape, and the
 * gradients, which under a tape come from the op-by-op form. WebGPU's one-kernel forms are
 * tested in webgpu/equalized-lr.webgpu.test.ts.
 */
describeBackends('equalized-lr conv and dense ops', () => {
  const rng = createRng(12);
  const t4 = (shape: [number, number, number, number], std = 1) =>
    tf.tensor4d(
      rng.normalArray(
        shape.reduce((a, b) => a * b),
        std,
      ),
      shape,
    );

  /** act(conv2d(x, scale·w) + b) + residual with tfjs ops only. */
  const definition = (
    x: tf.Tensor4D,
    w: tf.Tensor4D,
    scale: number,
    b: tf.Tensor1D,
    act: 'relu' | 'lrelu',
    residual: tf.Tensor4D,
  ) =>
    tf.tidy(() => {
      const y = tf.add(tf.conv2d(x, tf.mul(w, scale) as tf.Tensor4D, 1, 'same'), b);
      const a = act === 'relu' ? tf.relu(y) : tf.where(tf.greater(y, 0), y, tf.mul(y, 0.1));
      return tf.add(a, residual) as tf.Tensor4D;
    });

  for (const act of ['relu', 'lrelu'] as const) {
    it(`scaledConv2d with bias, ${act} and residual equals its definition, outside and under a tape`, async () => {
      // 8 channels: wasm's SIMD kernel; 3x3 'same'.
      const x = t4([2, 6, 5, 8]);
      const w = t4([3, 3, 8, 8]);
      const b = tf.tensor1d(rng.normalArray(8));
      const r = t4([2, 6, 5, 8]);
      const scale = 1 / Math.sqrt(72);
      const ref = definition(x, w, scale, b, act, r);
      const run = (xi: tf.Tensor4D) =>
        scaledConv2d(xi, w, scale, b, { activation: act, alpha: 0.1, residual: r });
      const y = run(x);
      expect(relErr(await y.data(), await ref.data())).toBeLessThan(1e-5);
      // Under a tape: the differentiable form, same values; gradient equals the definition's.
      const probe = t4([2, 6, 5, 8]);
      const loss = (f: (xi: tf.Tensor4D) => tf.Tensor) => (xi: tf.Tensor) =>
        tf.sum(tf.mul(f(xi as tf.Tensor4D), probe));
      const g = tf.grad(loss(run))(x);
      const gRef = tf.grad(loss((xi) => definition(xi, w, scale, b, act, r)))(x);
      expect(relErr(await g.data(), await gRef.data())).toBeLessThan(1e-5);
      tf.dispose([x, w, b, r, ref, y, probe, g, gRef]);
    });
  }

  it('scaledConv2d without bias or epilogue is conv2d(x, scale·w); bad activation is an error', async () => {
    const x = t4([1, 5, 5, 3]);
    const w = t4([1, 1, 3, 4]);
    const y = scaledConv2d(x, w, 0.5, null);
    const ref = tf.conv2d(x, tf.mul(w, 0.5) as tf.Tensor4D, 1, 'same');
    expect(relErr(await y.data(), await ref.data())).toBeLessThan(1e-6);
    expect(() => scaledConv2d(x, w, 0.5, null, { activation: 'tanh' as never })).toThrow(
      /activation must be 'linear', 'relu' or 'lrelu'/,
    );
    tf.dispose([x, w, y, ref]);
  });

  it('scaledMatMul equals x·(scale·w) + b, and its gradient', async () => {
    const x = tf.tensor2d(rng.normalArray(3 * 10), [3, 10]);
    const w = tf.tensor2d(rng.normalArray(10 * 6), [10, 6]);
    const b = tf.tensor1d(rng.normalArray(6));
    const def = (xi: tf.Tensor) =>
      tf.add(tf.matMul(xi as tf.Tensor2D, tf.mul(w, 0.3) as tf.Tensor2D), b);
    const y = scaledMatMul(x, w, 0.3, b);
    const ref = def(x);
    expect(relErr(await y.data(), await ref.data())).toBeLessThan(1e-6);
    const g = tf.grad((xi: tf.Tensor) =>
      tf.sum(tf.square(scaledMatMul(xi as tf.Tensor2D, w, 0.3, b))),
    )(x);
    const gRef = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(def(xi))))(x);
    expect(relErr(await g.data(), await gRef.data())).toBeLessThan(1e-6);
    tf.dispose([x, w, b, y, ref, g, gRef]);
  });
});
