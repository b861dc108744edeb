import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { upsampleSuite } from '../../../fused/upsample-suite';
import { leakyRelu } from '../../../ops/activations';
import { avgPool2 } from '../../../ops/pooling';
import {
  MODULATE_CASES,
  type ModulateCase,
  modulateValueAndGrads,
  referenceLeakyRelu,
  referenceModulate,
  relErr,
  values,
} from '../../../testing/fused-reference';
import { checkGradient, checkNestedGradient } from '../../../testing/gradient-check';
import { withBackend } from '../../../with-backend';
import {
  adaptiveInstanceNormFused,
  fusedOpsActive,
  instanceNormFused,
  spatialInstanceNormFused,
  webgpuInferenceKernels,
} from '../fused-ops';
import { countKernels } from '../profile';
import { reductionSplits } from './instance-norm';

// Runs on WebGPU (an NVIDIA GPU, or Mesa lavapipe on CPU-only machines and in CI); references
// are the op-by-op forms on the cpu backend.

/** Value and gradients of one case on `backend`, fused or reference. */
function evaluate(backend: 'cpu' | 'webgpu', c: ModulateCase, fused: boolean) {
  return withBackend(backend, () =>
    modulateValueAndGrads(c, (x, eps, g, b) =>
      fused ? instanceNormFused(x, eps, g ?? null, b ?? null) : referenceModulate(x, eps, g, b),
    ),
  );
}

describe('fused instance norm + modulation [webgpu]', () => {
  it('splits large reductions so small batches still fill the GPU', () => {
    expect(reductionSplits(2, 5, 1200)).toBe(5);
    expect(reductionSplits(1, 40, 1023)).toBe(4);
    expect(reductionSplits(2, 37, 15)).toBe(1);
    expect(reductionSplits(4, 32, 224 * 224)).toBe(64); // lsr-224's first G^l level
    expect(reductionSplits(16, 512, 49)).toBe(1);
  });

  for (const c of MODULATE_CASES) {
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

describe('inference forms [webgpu]: modulation + leaky ReLU in one kernel, packed styles', () => {
  // Outside a tape the apply kernel also applies leaky ReLU, AdaIN's γ and β are read from its
  // dense output [N, 2C] as it is, SPADE's from its one γ|β conv [N,H,W,2C] as it is, and H·W
  // that needs no split gets its stats in one dispatch.
  const cases: { label: string; x: number[]; packed: false | 'channel' | 'spatial' }[] = [
    {
      label: 'SPADE γ,β [N,H,W,C], H·W 63 (stats in one dispatch)',
      x: [2, 7, 9, 12],
      packed: false,
    },
    {
      label: 'AdaIN packed styles [N, 2C], H·W 1023 (stats in parts)',
      x: [2, 33, 31, 8],
      packed: 'channel',
    },
    {
      label: 'SPADE packed γ|β [N,H,W,2C], H·W 1023 (stats in parts)',
      x: [2, 33, 31, 8],
      packed: 'spatial',
    },
  ];
  for (const c of cases) {
    it(c.label, async () => {
      const [n, h, w, ch] = c.x as [number, number, number, number];
      const xs = values(c.x, 31, 2);
      const mods =
        c.packed === 'channel' ? [n, 2 * ch] : c.packed === 'spatial' ? [n, h, w, 2 * ch] : c.x;
      const ms = values(mods, 32);
      const bs = values(c.x, 33);
      // γ = the first C of each row (or pixel) of the packed styles, β the last C.
      const split = (t: tf.Tensor) =>
        tf.split(c.packed === 'channel' ? tf.reshape(t, [n, 1, 1, 2 * ch]) : t, 2, 3) as [
          tf.Tensor,
          tf.Tensor,
        ];
      const ref = await withBackend('cpu', async () => {
        const x = tf.tensor4d(xs, c.x as [number, number, number, number]);
        const [g, b] = c.packed
          ? split(tf.tensor(ms, mods))
          : [tf.tensor(ms, mods), tf.tensor(bs, c.x)];
        const y = tf.tidy(() => referenceLeakyRelu(referenceModulate(x, 1e-3, g, b), 0.2));
        const out = await y.data();
        tf.dispose([x, g, b, y]);
        return out;
      });
      await withBackend('webgpu', async () => {
        const x = tf.tensor4d(xs, c.x as [number, number, number, number]);
        const g = tf.tensor(ms, mods);
        const b = tf.tensor(bs, c.x);
        const run = () =>
          c.packed === 'channel'
            ? adaptiveInstanceNormFused(x, g, 1e-3, 0.2)!
            : c.packed === 'spatial'
              ? spatialInstanceNormFused(x, g as tf.Tensor4D, 1e-3, 0.2)!
              : instanceNormFused(x, 1e-3, g, b, 0.2)!;
        const y = run();
        expect(relErr(await y.data(), ref)).toBeLessThan(1e-5);
        y.dispose();
        const splits = reductionSplits(n, ch, h * w);
        const counts = await countKernels(() => tf.dispose(run()));
        expect(counts.kernels).toBe(2); // stats and apply: no leaky ReLU kernel, no split of γ/β
        expect(counts.dispatches).toBe(splits === 1 ? 2 : 3);
        // Under a tape the differentiable forms are used (packed styles: none, the caller splits).
        const underTape: boolean[] = [];
        const grads = tf.grads((a: tf.Tensor) => {
          underTape.push(adaptiveInstanceNormFused(a as tf.Tensor4D, g, 1e-3) === null);
          underTape.push(
            spatialInstanceNormFused(a as tf.Tensor4D, g as tf.Tensor4D, 1e-3) === null,
          );
          return tf.sum(a);
        })([x]);
        expect(underTape).toEqual([true, true]);
        tf.dispose([x, g, b, ...grads]);
      });
    });
  }
});

describe('2×2 average pool [webgpu]', () => {
  it('one kernel outside a tape, equal to the portable form on cpu (even and odd sizes)', async () => {
    for (const shape of [
      [2, 8, 6, 19],
      [1, 7, 5, 4],
    ] as [number, number, number, number][]) {
      const xs = values(shape, 41);
      const ref = await withBackend('cpu', async () => {
        const x = tf.tensor4d(xs, shape);
        const y = avgPool2(x);
        const out = { values: await y.data(), shape: y.shape };
        tf.dispose([x, y]);
        return out;
      });
      await withBackend('webgpu', async () => {
        expect(webgpuInferenceKernels()).toBe(true);
        const x = tf.tensor4d(xs, shape);
        const y = avgPool2(x);
        expect(y.shape).toEqual(ref.shape);
        expect(relErr(await y.data(), ref.values)).toBeLessThan(1e-6);
        const counts = await countKernels(() => tf.dispose(avgPool2(x)));
        expect(counts.dispatches).toBe(1);
        // Under a tape: the reshape + mean form, with its gradient: d Σ avgPool2(x) / dx is 1/4
        // inside the pooled blocks, 0 on a dropped odd row or column.
        const inTape: boolean[] = [];
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => {
          inTape.push(webgpuInferenceKernels());
          return tf.sum(avgPool2(a as tf.Tensor4D));
        })([x]);
        expect(inTape).toEqual([false]);
        const [, h, w, c] = shape;
        const dx = await grads[0]!.data();
        const expected = Array.from(dx, (_, i) => {
          const col = Math.floor(i / c) % w;
          const row = Math.floor(i / (c * w)) % h;
          return row < h - (h % 2) && col < w - (w % 2) ? 0.25 : 0;
        });
        expect(Array.from(dx)).toEqual(expected);
        tf.dispose([x, y, value, ...grads]);
      });
    }
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

upsampleSuite('webgpu');
