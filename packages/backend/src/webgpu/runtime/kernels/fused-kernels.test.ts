import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from '../../../ops/activations';
import { checkGradient, checkNestedGradient } from '../../../testing/gradient-check';
import { createRng } from '../../../util/rng';
import { withBackend } from '../../../with-backend';
import { fusedOpsActive, instanceNormFused } from '../fused-ops';
import { reductionSplits } from './instance-norm';

// Runs on WebGPU (an NVIDIA GPU, or Mesa lavapipe on CPU-only machines and in CI); references
// are the op-by-op forms on the cpu backend.

function values(shape: number[], seed: number, offset = 0): Float32Array {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => offset + rng.normal());
}

/** The op-by-op instance norm + modulation (as @th/layers writes it without fused kernels). */
function referenceModulate(x: tf.Tensor4D, eps: number, g?: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, [1, 2], true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), [1, 2], true);
  const xhat = tf.div(centered, tf.sqrt(tf.add(variance, eps)));
  return g && b ? tf.add(tf.mul(xhat, tf.add(g, 1)), b) : xhat;
}

interface Case {
  label: string;
  x: number[];
  mod: 'none' | 'channel' | 'spatial';
}

const CASES: Case[] = [
  { label: 'plain IN, C 37 (partial channel tile), H·W 15', x: [2, 3, 5, 37], mod: 'none' },
  { label: 'AdaIN-style γ,β [N,1,1,C], C 64', x: [3, 6, 4, 64], mod: 'channel' },
  { label: 'SPADE-style γ,β [N,H,W,C], C 5', x: [2, 7, 9, 5], mod: 'spatial' },
  // Larger H·W: the reductions split it into parts (5 and 4 here) combined exactly afterwards.
  { label: 'SPADE-style, H·W 1200 in 5 parts', x: [2, 40, 30, 5], mod: 'spatial' },
  {
    label: 'AdaIN-style, H·W 1023 in 4 parts, C 40 (2 channel tiles)',
    x: [1, 33, 31, 40],
    mod: 'channel',
  },
];

/** Value and gradients (w.r.t. x, γ, β) of Σ(out · r) on `backend`, fused or reference. */
async function evaluate(backend: 'cpu' | 'webgpu', c: Case, fused: boolean) {
  return withBackend(backend, async () => {
    const [n, h, w, ch] = c.x as [number, number, number, number];
    const modShape = c.mod === 'channel' ? [n, 1, 1, ch] : c.x;
    // An offset mean (3) makes a one-pass variance lose digits; the kernels use two passes.
    const x = tf.tensor4d(values(c.x, 1, 3), [n, h, w, ch]);
    const g = tf.tensor(values(modShape, 2), modShape);
    const b = tf.tensor(values(modShape, 3), modShape);
    const r = tf.tensor(values(c.x, 4), c.x);
    const inputs = c.mod === 'none' ? [x] : [x, g, b];
    const f = (...t: tf.Tensor[]) => {
      const out = fused
        ? instanceNormFused(t[0] as tf.Tensor4D, 1e-3, t[1] ?? null, t[2] ?? null)
        : referenceModulate(t[0] as tf.Tensor4D, 1e-3, t[1], t[2]);
      if (!out) throw new Error('fused instance norm unavailable');
      return tf.sum(tf.mul(out, r));
    };
    const { value, grads } = tf.valueAndGrads(f)(inputs);
    const result = {
      value: (await value.data())[0]!,
      grads: await Promise.all(grads.map(async (t) => Array.from(await t.data()))),
    };
    tf.dispose([x, g, b, r, value, ...grads]);
    return result;
  });
}

function relErr(a: number[], b: number[]): number {
  let num = 0;
  let den = 0;
  a.forEach((v, i) => {
    num += (v - b[i]!) ** 2;
    den += b[i]! ** 2;
  });
  return Math.sqrt(num / Math.max(den, 1e-30));
}

describe('fused instance norm + modulation [webgpu]', () => {
  it('splits large reductions so small batches still fill the GPU', () => {
    expect(reductionSplits(2, 5, 1200)).toBe(5);
    expect(reductionSplits(1, 40, 1023)).toBe(4);
    expect(reductionSplits(2, 37, 15)).toBe(1);
    expect(reductionSplits(4, 32, 224 * 224)).toBe(64); // lsr-224's first G^l level
    expect(reductionSplits(16, 512, 49)).toBe(1);
  });

  for (const c of CASES) {
    it(`value and first-order gradients equal the op-by-op form: ${c.label}`, async () => {
      const ref = await evaluate('cpu', c, false);
      const gpu = await evaluate('webgpu', c, true);
      expect(Math.abs(gpu.value - ref.value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.value)));
      expect(gpu.grads.length).toBe(ref.grads.length);
      for (const [i, g] of gpu.grads.entries()) expect(relErr(g, ref.grads[i]!)).toBeLessThan(1e-4);
    });
  }

  it('the fused path is the one taken, and it leaks nothing', async () => {
    await withBackend('webgpu', async () => {
      expect(fusedOpsActive()).toBe(true);
      const x = tf.randomNormal([1, 4, 4, 8]) as tf.Tensor4D;
      const g = tf.randomNormal([1, 1, 1, 8]);
      const profile = await tf.profile(() => {
        tf.dispose(
          tf.grads((a: tf.Tensor) => tf.sum(instanceNormFused(a as tf.Tensor4D, 1e-3, g, g)!))([x]),
        );
      });
      const names = new Set(profile.kernels.map((k) => k.name));
      for (const k of ['ThInstanceNormStats', 'ThInstanceNormApply', 'ThInstanceNormGradX'])
        expect(names).toContain(k);
      const before = tf.memory().numTensors;
      tf.dispose(
        tf.grads((a: tf.Tensor) => tf.sum(instanceNormFused(a as tf.Tensor4D, 1e-3)!))([x]),
      );
      expect(tf.memory().numTensors).toBe(before);
      // Shapes the kernels do not cover fall back (null), never compute something else.
      expect(instanceNormFused(x, 1e-3, tf.ones([1, 1, 1, 1]), tf.ones([1, 1, 1, 1]))).toBeNull();
      tf.dispose([x, g]);
    });
  });

  it('against finite differences on WebGPU (x and γ, β)', async () => {
    await withBackend('webgpu', async () => {
      const x = tf.tensor4d(values([2, 3, 3, 6], 7), [2, 3, 3, 6]);
      const g = tf.tensor4d(values([2, 1, 1, 6], 8), [2, 1, 1, 6]);
      const b = tf.tensor4d(values([2, 1, 1, 6], 9), [2, 1, 1, 6]);
      const r = tf.tensor4d(values([2, 3, 3, 6], 10), [2, 3, 3, 6]);
      const f = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(instanceNormFused(a as tf.Tensor4D, 1e-3, gg, bb)!, r));
      const check = await checkGradient(f as never, [x, g, b]);
      expect(check.relError).toBeLessThan(1e-3);
      tf.dispose([x, g, b, r]);
    });
  });
});

describe('fused leaky ReLU [webgpu]', () => {
  it('equals α·x + (1−α)·relu(x) on cpu, value and gradient, including at 0', async () => {
    const data = values([257], 11);
    data[0] = 0;
    data[1] = -0;
    const run = (backend: 'cpu' | 'webgpu') =>
      withBackend(backend, async () => {
        const x = tf.tensor1d(data);
        const r = tf.tensor1d(values([257], 12));
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor) =>
          tf.sum(tf.mul(leakyRelu(a, 0.2), r)),
        )([x]);
        const y = Array.from(await leakyRelu(x, 0.2).data());
        const out = { y, v: (await value.data())[0]!, g: Array.from(await grads[0]!.data()) };
        tf.dispose([x, r, value, ...grads]);
        return out;
      });
    const ref = await run('cpu');
    const gpu = await run('webgpu');
    expect(relErr(gpu.y, ref.y)).toBeLessThan(1e-6);
    // r or 0.2·r (the portable form rounds 0.2·r + 0.8·r), with the same masks.
    expect(relErr(gpu.g, ref.g)).toBeLessThan(1e-6);
    expect(gpu.g[0]).toBeCloseTo(0.2 * values([257], 12)[0]!, 6);
  });

  it('first and second order (R1-style nested gradient through conv) vs finite differences', async () => {
    await withBackend('webgpu', async () => {
      expect(fusedOpsActive()).toBe(true);
      const x = tf.tensor4d(values([1, 5, 5, 2], 13), [1, 5, 5, 2]);
      const w = tf.tensor4d(values([3, 3, 2, 3], 14), [3, 3, 2, 3]);
      const f = (a: tf.Tensor) => {
        const h = leakyRelu(tf.conv2d(a as tf.Tensor4D, w, 1, 'same'), 0.2);
        return tf.sum(tf.mul(h, leakyRelu(h, 0.2))) as tf.Scalar;
      };
      const profile = await tf.profile(() => tf.dispose(f(x)));
      expect(profile.kernels.map((k) => k.name)).toContain('ThLeakyRelu');
      expect((await checkGradient(f, [x])).relError).toBeLessThan(1e-3);
      expect((await checkNestedGradient(f, [x])).relError).toBeLessThan(1e-3);
      tf.dispose([x, w]);
    });
  });
});
