import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { upsampleSuite } from '../../../fused/upsample-suite';
import { leakyRelu } from '../../../ops/activations';
import {
  MODULATE_CASES,
  type ModulateCase,
  modulateValueAndGrads,
  referenceModulate,
  relErr,
  values,
} from '../../../testing/fused-reference';
import { checkGradient, checkNestedGradient } from '../../../testing/gradient-check';
import { withBackend } from '../../../with-backend';
import { fusedOpsActive, instanceNormFused } from '../fused-ops';
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
