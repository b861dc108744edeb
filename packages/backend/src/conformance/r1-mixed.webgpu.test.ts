import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { init, setPrecision } from '../init';
import { createRng } from '../util/rng';
import { maxAbs, outputsOn, relativeMaxError } from '../webgpu/kernel-check';
import { normal } from './probe';
import { r1Penalty, type ToyDParams, toyDParams } from './toy-gan';

/**
 * Second order under mixed precision: the gradient, w.r.t. a small discriminator's parameters,
 * of its R1 penalty on reals plus its R2 penalty on fakes (each a nested gradient: || d loss /
 * d input ||², then differentiated again) computed with f16 GEMM operands on WebGPU, against
 * the same in f32 on the cpu backend. The toy discriminator has the ops LSR's D is made of
 * (convolutions, stride 2, leaky ReLU, blur-pool, bilinear upsampling, a dense layer); every
 * convolution, backprop and matmul of all three orders runs f16 GEMMs.
 */
describe('R1/R2 nested gradients under precision mixed (toy discriminator, WebGPU vs cpu f32)', () => {
  afterAll(() => {
    setPrecision('f32');
  });

  it('agree with f32 within 5e-3 (relative to the largest element; measured ~1e-3), and differ by f16 rounding', async () => {
    await init({ backend: 'cpu' });
    const rng = createRng(41);
    const p = toyDParams(rng);
    const params = [p.w1, p.b1, p.w2, p.w3].map((t) => t.arraySync());
    const shapes = [p.w1, p.b1, p.w2, p.w3].map((t) => t.shape);
    const real = normal(rng, [2, 6, 6, 2]).arraySync();
    const fake = normal(rng, [2, 6, 6, 2], 0.5).arraySync();
    tf.dispose([p.w1, p.b1, p.w2, p.w3]);
    const run = () =>
      tf.tidy(() => {
        const ts = params.map((v, i) => tf.tensor(v as number[], shapes[i]));
        const [x, xf] = [tf.tensor4d(real as number[][][][]), tf.tensor4d(fake as number[][][][])];
        const penalties = (...w: tf.Tensor[]) => {
          const d: ToyDParams = {
            w1: w[0] as tf.Tensor4D,
            b1: w[1] as tf.Tensor1D,
            w2: w[2] as tf.Tensor4D,
            w3: w[3] as tf.Tensor2D,
          };
          return tf.add(r1Penalty(d, x), r1Penalty(d, xf)) as tf.Scalar;
        };
        return tf.grads(penalties)(ts);
      });
    const f32 = await outputsOn('cpu', run);
    // With precision mixed Dawn's GPU object gets the toggles NVIDIA needs for f16.
    await init({ backend: 'webgpu', precision: 'mixed' });
    const path = setPrecision('mixed').gemm;
    expect(path).not.toBe('f32');
    const mixed = await outputsOn('webgpu', run);
    const errors = mixed.values.map((v, i) => relativeMaxError(v, f32.values[i]!));
    console.log(
      `R1+R2 parameter gradients, ${path} vs cpu f32: relative errors ${errors.map((e) => e.toExponential(2)).join(', ')}`,
    );
    for (const [i, e] of errors.entries()) {
      expect(e, `parameter ${i}`).toBeLessThan(5e-3);
      expect(maxAbs(f32.values[i]!)).toBeGreaterThan(1e-2);
    }
    expect(Math.max(...errors)).toBeGreaterThan(1e-5); // f16 rounding really happened
  });
});
