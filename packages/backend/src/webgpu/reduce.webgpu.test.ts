import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import { countingFallbacks, maxAbs, outputsOn } from './kernel-check';
import { countKernels } from './runtime/profile';

/**
 * @th's Sum/Mean (reduce.ts) against the cpu backend, which adds in float64 before rounding: a
 * near-exact reference. Bound per output: 1e-6 of Σ|x| over the elements it adds (f32 partials
 * of ≤ ~100 terms in sequence, then trees: a few hundred ulps of Σ|x| at worst).
 */
const TOLERANCE = 1e-6;

interface Case {
  name: string;
  shape: number[];
  axis?: number | number[];
  keepDims?: boolean;
  mean?: boolean;
}

const CASES: Case[] = [
  { name: 'NHWC → C, odd sizes (bias gradient)', shape: [3, 17, 19, 13], axis: [0, 1, 2] },
  { name: 'NHWC → C, 1M elements (two passes)', shape: [4, 64, 64, 64], axis: [0, 1, 2] },
  {
    name: 'NHWC → C, size-1 axes, keepDims',
    shape: [5, 1, 1, 40],
    axis: [0, 1, 2],
    keepDims: true,
  },
  { name: 'scalar sum of 2^20 + 3 elements', shape: [2 ** 20 + 3] },
  { name: 'scalar mean of an image batch', shape: [4, 33, 31, 3], mean: true },
  { name: 'mean over a pair (2×2 pooling), odd sizes', shape: [33, 2, 17, 5], axis: 1, mean: true },
  { name: 'per-sample sums, negative axes', shape: [4, 40, 41, 3], axis: [-3, -2, -1] },
  { name: 'innermost, keepDims', shape: [300, 19], axis: -1, keepDims: true, mean: true },
  { name: 'over an axis of size 1 (a copy; batch-1 bias gradients)', shape: [1, 300], axis: 0 },
];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

describe('@th WGSL Sum/Mean equal the cpu backend', () => {
  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const x = createRng(700 + index).normalArray(size(c.shape));
      const op = c.mean ? tf.mean : tf.sum;
      const run = () => tf.tidy(() => [op(tf.tensor(x, c.shape), c.axis, c.keepDims)]);
      const cpu = await outputsOn('cpu', run);
      const scale = await outputsOn('cpu', () =>
        tf.tidy(() => [tf.sum(tf.abs(tf.tensor(x, c.shape)), c.axis, c.keepDims)]),
      );
      const { result: gpu, fallbackCalls } = await countingFallbacks(['Sum', 'Mean'], () =>
        outputsOn('webgpu', run),
      );
      expect(fallbackCalls).toBe(0);
      expect(gpu.shapes).toEqual(cpu.shapes);
      const n = c.mean ? size(c.shape) / cpu.values[0]!.length : 1;
      const want = cpu.values[0]!;
      const got = gpu.values[0]!;
      let worst = 0;
      for (let k = 0; k < want.length; k++) {
        worst = Math.max(worst, Math.abs(got[k]! - want[k]!) / (scale.values[0]![k]! / n));
      }
      expect(worst, `error / Σ|x|: ${worst}`).toBeLessThan(TOLERANCE);
      expect(maxAbs(want)).toBeGreaterThan(0.01);
    });
  }

  it('NHWC → C dispatches no transpose: one pass, or two for a large tensor', async () => {
    await init({ backend: 'webgpu' });
    const small = tf.randomNormal([3, 17, 19, 13]);
    const large = tf.randomNormal([4, 64, 64, 64]);
    const sumOf = (t: tf.Tensor) => async () => {
      const s = tf.sum(t, [0, 1, 2]);
      await s.data();
      s.dispose();
    };
    const one = await countKernels(sumOf(small));
    const two = await countKernels(sumOf(large));
    tf.dispose([small, large]);
    // tfjs-webgpu: a TransposeProgram, then a ReduceProgram with 13 / 64 workgroups.
    expect(one.dispatches).toBe(1);
    expect(two.dispatches).toBe(2);
  });

  it('more workgroups than a dispatch dimension holds (tfjs folds the dispatch)', async () => {
    // One workgroup per output row: 66000 > 65535. Small integers: f32 sums are exact, so the
    // float64 sums in JavaScript are the reference (the cpu backend would take seconds here).
    const [rows, cols] = [66000, 129];
    const x = new Float32Array(rows * cols).map((_, k) => ((k * 7919) % 11) - 3);
    const want = new Float32Array(rows);
    for (let k = 0; k < x.length; k++) want[Math.floor(k / cols)]! += x[k]!;
    const { result, fallbackCalls } = await countingFallbacks(['Sum'], () =>
      outputsOn('webgpu', () => tf.tidy(() => [tf.sum(tf.tensor(x, [rows, cols]), 1)])),
    );
    expect(fallbackCalls).toBe(0);
    expect(Array.from(result.values[0]!)).toEqual(Array.from(want));
    expect(maxAbs(want)).toBeGreaterThan(10);
  });

  it('is deterministic: two runs are bit-identical', async () => {
    const x = createRng(799).normalArray(2 ** 20 + 5);
    const run = () =>
      tf.tidy(() => {
        const t = tf.tensor(x, [2 ** 20 + 5]);
        return [tf.sum(t), tf.sum(tf.reshape(tf.slice(t, 0, 2 ** 20), [256, 64, 64]), [0, 1])];
      });
    const a = await outputsOn('webgpu', run);
    const b = await outputsOn('webgpu', run);
    expect(Array.from(b.values[0]!)).toEqual(Array.from(a.values[0]!));
    expect(Array.from(b.values[1]!)).toEqual(Array.from(a.values[1]!));
  });

  it('int32 inputs and non-contiguous axes fall back to tfjs-webgpu and stay exact', async () => {
    const ints = Array.from({ length: 24 }, (_, k) => k * k - 100);
    const run = () =>
      tf.tidy(() => [
        tf.cast(tf.sum(tf.tensor(ints, [2, 3, 4], 'int32'), [0, 1]), 'float32'),
        tf.sum(tf.tensor(ints, [2, 3, 4], 'float32'), [0, 2]),
      ]);
    const cpu = await outputsOn('cpu', run);
    const { result, fallbackCalls } = await countingFallbacks(['Sum'], () =>
      outputsOn('webgpu', run),
    );
    expect(fallbackCalls).toBe(2);
    expect(Array.from(result.values[0]!)).toEqual(Array.from(cpu.values[0]!));
    expect(Array.from(result.values[1]!)).toEqual(Array.from(cpu.values[1]!));
  });

  it('gradients of sum and mean (first and second order) equal the cpu backend', async () => {
    const x = createRng(798).normalArray(4 * 9 * 7 * 5);
    // f(x) = Σ_c (Σ_nhw x·x)_c² + mean(x)³: reductions in the value, its gradient and its
    // Hessian-vector product (square and mul: ops whose second derivatives tfjs gets right).
    const f = (t: tf.Tensor) => {
      const m = tf.mean(t);
      return tf.add(tf.sum(tf.square(tf.sum(tf.mul(t, t), [0, 1, 2]))), tf.mul(m, tf.square(m)));
    };
    const run = () =>
      tf.tidy(() => {
        const t = tf.tensor(x, [4, 9, 7, 5]);
        const g = tf.grad(f);
        const v = tf.onesLike(t);
        const hv = tf.grad((u: tf.Tensor) => tf.sum(tf.mul(g(u), v)))(t);
        return [g(t), hv];
      });
    const cpu = await outputsOn('cpu', run);
    const gpu = await outputsOn('webgpu', run);
    for (const k of [0, 1]) {
      const err = maxAbs(cpu.values[k]!.map((v, i) => v - gpu.values[k]![i]!));
      expect(err / maxAbs(cpu.values[k]!)).toBeLessThan(1e-5);
      expect(maxAbs(cpu.values[k]!)).toBeGreaterThan(1);
    }
  });
});
