import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { leakyRelu } from '../ops/activations';
import {
  MODULATE_CASES,
  type ModulateCase,
  modulateValueAndGrads,
  referenceLeakyRelu,
  referenceModulate,
  relErr,
  values,
} from '../testing/fused-reference';
import { checkGradient, checkNestedGradient } from '../testing/gradient-check';
import { instanceNormFused } from '../webgpu/runtime/fused-ops';
import { fusedInstanceNorm } from '../webgpu/runtime/kernels/instance-norm';
import { withBackend } from '../with-backend';
import { upsampleSuite } from './upsample-suite';

/**
 * Tests of the fused instance-norm + modulation, leaky-ReLU and upsampling kernels on a backend
 * that runs their host versions (wasm at the thread count its test file started, or cpu).
 * References: the op-by-op forms on the cpu backend, and finite differences. The instance-norm
 * gradients are tested through `fusedInstanceNorm` (the first-order op the WebGPU runtime also
 * uses); `instanceNormFused` takes the kernels on wasm/cpu only outside a tape.
 */
export function hostFusedSuite(backend: 'wasm' | 'cpu'): void {
  const on = <T>(fn: () => Promise<T> | T) => withBackend(backend, fn);

  describe(`fused instance norm + modulation [${backend}]`, () => {
    // Channel counts that are multiples of 4 take wasm's SIMD kernels for every kind; others
    // (and cpu) the JavaScript ones.
    const extra: ModulateCase[] = [
      { label: 'plain IN, C 12, H·W 35', x: [2, 5, 7, 12], mod: 'none' },
      { label: 'SPADE-style γ,β [N,H,W,C], C 8, H·W 63', x: [3, 7, 9, 8], mod: 'spatial' },
    ];
    for (const c of [...MODULATE_CASES, ...extra]) {
      it(`value and first-order gradients equal the op-by-op form: ${c.label}`, async () => {
        const ref = await withBackend('cpu', () => modulateValueAndGrads(c, referenceModulate));
        const fused = await on(() =>
          modulateValueAndGrads(c, (x, eps, g, b) =>
            fusedInstanceNorm(x, eps, g ?? null, b ?? null),
          ),
        );
        expect(Math.abs(fused.value - ref.value)).toBeLessThan(
          1e-4 * Math.max(1, Math.abs(ref.value)),
        );
        expect(fused.grads.length).toBe(ref.grads.length);
        for (const [i, g] of fused.grads.entries())
          expect(relErr(g, ref.grads[i]!)).toBeLessThan(1e-4);
      });
    }

    it('outside a gradient tape it runs the two kernels alone, with the same values', async () => {
      await on(async () => {
        const shape = [2, 5, 3, 8];
        const x = tf.tensor4d(values(shape, 21, 2), shape as [number, number, number, number]);
        const g = tf.tensor(values(shape, 22), shape);
        const b = tf.tensor(values(shape, 23), shape);
        const before = tf.memory().numTensors;
        const profile = await tf.profile(() => tf.dispose(instanceNormFused(x, 1e-3, g, b)!));
        expect(profile.kernels.map((k) => k.name)).toEqual([
          'ThInstanceNormStats',
          'ThInstanceNormApply',
        ]);
        expect(tf.memory().numTensors).toBe(before);
        const fused = await instanceNormFused(x, 1e-3, g, b)!.data();
        const ref = await referenceModulate(x, 1e-3, g, b).data();
        expect(relErr(fused, ref)).toBeLessThan(1e-5);
        // Under a gradient tape the op-by-op form (differentiable to any order) is used instead.
        const underTape: (tf.Tensor | null)[] = [];
        tf.grads((a: tf.Tensor) => {
          underTape.push(instanceNormFused(a as tf.Tensor4D, 1e-3, g, b));
          return tf.sum(a);
        })([x]);
        expect(underTape).toEqual([null]);
        // Shapes the kernels do not cover fall back (null), never compute something else.
        expect(instanceNormFused(x, 1e-3, tf.ones([1, 1, 1, 1]), tf.ones([1, 1, 1, 1]))).toBeNull();
        tf.dispose([x, g, b]);
      });
    });

    it('gradients against finite differences (x and γ, β per channel; C 8: SIMD on wasm)', async () => {
      await on(async () => {
        const x = tf.tensor4d(values([2, 3, 3, 8], 7), [2, 3, 3, 8]);
        const g = tf.tensor4d(values([2, 1, 1, 8], 8), [2, 1, 1, 8]);
        const b = tf.tensor4d(values([2, 1, 1, 8], 9), [2, 1, 1, 8]);
        const r = tf.tensor4d(values([2, 3, 3, 8], 10), [2, 3, 3, 8]);
        const f = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(fusedInstanceNorm(a as tf.Tensor4D, 1e-3, gg, bb), r));
        const check = await checkGradient(f as never, [x, g, b]);
        expect(check.relError).toBeLessThan(1e-3);
        tf.dispose([x, g, b, r]);
      });
    });
  });

  describe(`fused leaky ReLU [${backend}]`, () => {
    it('equals α·x + (1−α)·relu(x) on cpu, value and gradient, including at 0', async () => {
      const data = values([257], 11);
      data[0] = 0;
      data[1] = -0;
      const run = (name: 'cpu' | 'wasm', fused: boolean) =>
        withBackend(name, async () => {
          const act = (t: tf.Tensor) => (fused ? leakyRelu(t, 0.2) : referenceLeakyRelu(t, 0.2));
          const x = tf.tensor1d(data);
          const r = tf.tensor1d(values([257], 12));
          const { value, grads } = tf.valueAndGrads((a: tf.Tensor) => tf.sum(tf.mul(act(a), r)))([
            x,
          ]);
          const y = Array.from(await act(x).data());
          const out = { y, v: (await value.data())[0]!, g: Array.from(await grads[0]!.data()) };
          tf.dispose([x, r, value, ...grads]);
          return out;
        });
      const ref = await run('cpu', false);
      const fused = await run(backend, true);
      expect(relErr(fused.y, ref.y)).toBeLessThan(1e-6);
      expect(relErr(fused.g, ref.g)).toBeLessThan(1e-6);
      expect(fused.g[0]).toBeCloseTo(0.2 * values([257], 12)[0]!, 6);
    });

    it('first and second order (R1-style nested gradient through conv) vs finite differences', async () => {
      await on(async () => {
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

  upsampleSuite(backend);
}
