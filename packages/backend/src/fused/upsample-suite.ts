import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { upsampleBilinear2x } from '../ops/upsample';
import { relErr, values } from '../testing/fused-reference';
import { checkGradient, checkNestedGradient } from '../testing/gradient-check';
import { withBackend } from '../with-backend';

/**
 * Tests of the fused 2× bilinear upsampling kernel and its adjoint on a backend that has them
 * (WebGPU's WGSL kernels, or the host kernels of wasm and cpu). References: tfjs' resizeBilinear
 * with half-pixel centres on the cpu backend, the adjoint identity, and finite differences.
 */
export function upsampleSuite(backend: 'wasm' | 'cpu' | 'webgpu'): void {
  describe(`fused 2× bilinear upsampling [${backend}]`, () => {
    it('equals resizeBilinear (half-pixel centres) at odd and single-pixel sizes, in one kernel', async () => {
      await withBackend(backend, async () => {
        for (const shape of [
          [2, 3, 5, 3],
          [1, 1, 4, 1],
          [1, 4, 1, 6],
          [1, 7, 9, 17],
        ] as [number, number, number, number][]) {
          const x = tf.tensor4d(values(shape, 31), shape);
          const profile = await tf.profile(() => tf.dispose(upsampleBilinear2x(x)));
          expect(profile.kernels.map((k) => k.name)).toEqual(['ThUpsampleBilinear2x']);
          const ref = await withBackend('cpu', async () => {
            const xc = tf.tensor4d(values(shape, 31), shape);
            const y = await tf.image
              .resizeBilinear(xc, [2 * shape[1], 2 * shape[2]], false, true)
              .data();
            xc.dispose();
            return y;
          });
          expect(relErr(await upsampleBilinear2x(x).data(), ref)).toBeLessThan(1e-6);
          x.dispose();
        }
      });
    });

    it('first and second order gradients vs finite differences (R1-style, through a conv)', async () => {
      await withBackend(backend, async () => {
        const x = tf.tensor4d(values([2, 3, 4, 2], 32), [2, 3, 4, 2]);
        const w = tf.tensor4d(values([3, 3, 2, 3], 33), [3, 3, 2, 3]);
        const f = (a: tf.Tensor) => {
          const h = tf.conv2d(upsampleBilinear2x(a as tf.Tensor4D), w, 1, 'same');
          return tf.sum(tf.mul(h, tf.sum(upsampleBilinear2x(tf.sin(a) as tf.Tensor4D), 3, true)));
        };
        expect((await checkGradient(f as never, [x])).relError).toBeLessThan(1e-3);
        expect((await checkNestedGradient(f as never, [x])).relError).toBeLessThan(1e-3);
        tf.dispose([x, w]);
      });
    });

    it(`the gradient kernel is the adjoint: <up(x), y> = <x, up'(y)> [${backend}]`, async () => {
      await withBackend(backend, async () => {
        for (const shape of [
          [1, 1, 1, 2],
          [2, 3, 5, 3],
          [1, 6, 2, 4],
        ] as [number, number, number, number][]) {
          const [n, h, w, c] = shape;
          const x = tf.tensor4d(values(shape, 41), shape);
          const y = tf.tensor4d(values([n, 2 * h, 2 * w, c], 42), [n, 2 * h, 2 * w, c]);
          const g = tf.grad((a: tf.Tensor) =>
            tf.sum(tf.mul(upsampleBilinear2x(a as tf.Tensor4D), y)),
          )(x);
          const lhs = (await tf.sum(tf.mul(upsampleBilinear2x(x), y)).data())[0]!;
          const rhs = (await tf.sum(tf.mul(x, g)).data())[0]!;
          expect(Math.abs(lhs - rhs)).toBeLessThan(1e-5 * (1 + Math.abs(lhs)));
          const profile = await tf.profile(() =>
            tf.dispose(
              tf.grad((a: tf.Tensor) => tf.sum(tf.mul(upsampleBilinear2x(a as tf.Tensor4D), y)))(x),
            ),
          );
          expect(profile.kernels.map((k) => k.name)).toContain('ThUpsampleBilinear2xGrad');
          tf.dispose([x, y, g]);
        }
      });
    });
  });
}
