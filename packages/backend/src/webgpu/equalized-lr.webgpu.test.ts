import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { type ConvEpilogue, scaledConv2d } from '../ops/scaled-conv2d';
import { scaledMatMul } from '../ops/scaled-matmul';
import { createRng } from '../util/rng';
import { planGemm } from './gemm-tiles';
import { maxAbs, relativeMaxError } from './kernel-check';
import { webgpuInferenceKernels } from './runtime/fused-ops';
import { countKernels } from './runtime/profile';

type Shape4 = [number, number, number, number];

interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  bias: boolean;
  epilogue: Omit<ConvEpilogue, 'residual'> & { residual?: boolean };
}

/**
 * ThScaledConv2D on WebGPU (one implicit-GEMM dispatch with scale, bias, activation and residual
 * in its epilogue) against `scaledConv2d`'s op-by-op form on the cpu backend (Multiply on the
 * weights, Conv2D, Add, relu / leaky ReLU, Add): scalar stores (6 output channels) with every
 * epilogue part, and a long-K conv that the planner splits (the epilogue in the reduction). The
 * GEMM epilogue's tile edges, vec4 stores and ReLU are tested in gemm-epilogue.webgpu.test.ts,
 * and every conv shape of an lsr-64 frame in @th/models' synthesis.webgpu.test.ts (each case
 * here is a pipeline lavapipe compiles for seconds).
 */
const CASES: Case[] = [
  {
    name: '3x3, 5->6 (scalar), batch 2, bias, leaky ReLU 0.1, residual',
    x: [2, 9, 7, 5],
    w: [3, 3, 5, 6],
    bias: true,
    epilogue: { activation: 'lrelu', alpha: 0.1, residual: true },
  },
  {
    name: '3x3, 64->16 at 2x2 (split-K), bias, linear',
    x: [1, 2, 2, 64],
    w: [3, 3, 64, 16],
    bias: true,
    epilogue: {},
  },
];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('ThScaledConv2D (conv + scale + bias + activation + residual) on WebGPU', () => {
  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const rng = createRng(40 + index);
      const out: Shape4 = [c.x[0], c.x[1], c.x[2], c.w[3]];
      const [x, w, b, r] = [
        rng.normalArray(size(c.x)),
        rng.normalArray(size(c.w)),
        rng.normalArray(c.w[3]),
        rng.normalArray(size(out)),
      ];
      const scale = 1 / Math.sqrt(c.w[0] * c.w[1] * c.w[2]);
      const run = () =>
        tf.tidy(() =>
          scaledConv2d(
            tf.tensor4d(x, c.x),
            tf.tensor4d(w, c.w),
            scale,
            c.bias ? tf.tensor1d(b) : null,
            { ...c.epilogue, residual: c.epilogue.residual ? tf.tensor4d(r, out) : null },
          ),
        );
      await init({ backend: 'cpu' });
      const ref = await run().data();
      await init({ backend: 'webgpu' });
      expect(webgpuInferenceKernels()).toBe(true);
      const y = run();
      const got = await y.data();
      y.dispose();
      expect(relativeMaxError(got, ref)).toBeLessThan(1e-5);
      expect(maxAbs(ref)).toBeGreaterThan(0.5);
      // One dispatch, or two with split-K: no Multiply, Add or activation kernels around it.
      const split = planGemm({ m: size(out) / c.w[3], n: c.w[3], k: size(c.w) / c.w[3], batch: 1 });
      if (c.name.includes('split-K')) expect(split.splits).toBeGreaterThan(1);
      const counts = await countKernels(() => tf.dispose(run()));
      expect(counts.dispatches).toBe(split.splits > 1 ? 2 : 1);
      expect(counts.kernels).toBe(1);
    });
  }

  it('under a gradient tape the op-by-op (differentiable) form is chosen', async () => {
    await init({ backend: 'webgpu' });
    const seen: boolean[] = [];
    const x = tf.ones([2]);
    const grads = tf.grads((a: tf.Tensor) => {
      seen.push(webgpuInferenceKernels());
      return tf.sum(a);
    })([x]);
    expect(seen).toEqual([false]);
    expect(webgpuInferenceKernels()).toBe(true);
    tf.dispose([x, ...grads]);
  });
});

describe('ThScaledMatMul (x·w·scale + bias, an equalized-lr dense layer) on WebGPU', () => {
  const cases = [
    { name: 'one row (a latent), 1x512 · 512x24, bias (split-K)', m: 1, k: 512, n: 24, bias: true },
  ];
  for (const [index, c] of cases.entries()) {
    it(c.name, async () => {
      const rng = createRng(60 + index);
      const [x, w, b] = [
        rng.normalArray(c.m * c.k),
        rng.normalArray(c.k * c.n),
        rng.normalArray(c.n),
      ];
      const scale = 1 / Math.sqrt(c.k);
      const run = () =>
        tf.tidy(() =>
          scaledMatMul(
            tf.tensor2d(x, [c.m, c.k]),
            tf.tensor2d(w, [c.k, c.n]),
            scale,
            c.bias ? tf.tensor1d(b) : null,
          ),
        );
      await init({ backend: 'cpu' });
      const ref = await run().data();
      await init({ backend: 'webgpu' });
      const y = run();
      expect(y.shape).toEqual([c.m, c.n]);
      const got = await y.data();
      y.dispose();
      expect(relativeMaxError(got, ref)).toBeLessThan(1e-5);
      expect(maxAbs(ref)).toBeGreaterThan(0.5);
      const split = planGemm({ m: c.m, n: c.n, k: c.k, batch: 1 }).splits > 1;
      if (c.name.includes('split-K')) expect(split).toBe(true);
      const counts = await countKernels(() => tf.dispose(run()));
      expect(counts.kernels).toBe(1);
      expect(counts.dispatches).toBe(split ? 2 : 1);
    });
  }
});
