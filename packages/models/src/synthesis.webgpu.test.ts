import * as tf from '@tensorflow/tfjs-core';
import { withBackend } from '@th/backend';
import { describe, expect, it } from 'vitest';
import { presetConfig } from './config/presets';
import { LsrModel } from './model';

/**
 * One lsr-64 frame (latents cached: G^l then G^I, as `th reenact` runs it) on WebGPU with @th's
 * fused inference kernels (the equalized-lr convs and dense layers with scale, bias, activation
 * and residual in the GEMM's epilogue, instance norm + modulation + leaky ReLU, AdaIN's packed
 * styles, the layout pyramid's average pools, upsampling) against the cpu backend's op-by-op
 * form. Float32 throughout: the bound (1e-4 of the largest value) is rounding accumulated over
 * ~100 layers and 36 instance norms (measured ~4e-6 image, ~2e-5 layout on lavapipe). Every bias is set to random values (they are zero-initialised, which
 * would leave the bias path untested). Runs on lavapipe in CI.
 */

const relativeMaxError = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
};

describe('lsr-64 synthesis on WebGPU with fused kernels equals the cpu backend', () => {
  it('image and layout within 1e-4 (relative max error), and the fused kernels ran', async () => {
    const config = presetConfig('lsr-64');
    const r = config.resolution;
    const setup = () => {
      const model = new LsrModel(config, { checkRange: false }).initialize(3);
      for (const [name, p] of model.namedParameters()) {
        if (!name.endsWith('bias')) continue;
        const seed = name.length * 7919 + p.size;
        const value = tf.tidy(() =>
          tf.mul(tf.randomNormal([...p.shape], 0, 1, 'float32', seed), 0.2),
        );
        p.setValue(value);
        value.dispose();
      }
      const image = (shape: number[], seed: number) =>
        tf.tidy(() => tf.tanh(tf.randomNormal(shape, 0, 1, 'float32', seed)));
      const latents = model.encode(
        image([1, 1, r, r, 3], 1) as tf.Tensor5D,
        image([1, 1, r, r, 3], 2) as tf.Tensor5D,
      );
      return { model, latents, target: image([1, r, r, 3], 4) as tf.Tensor4D };
    };
    const frame = async (backend: 'cpu' | 'webgpu') =>
      withBackend(backend, async () => {
        const { model, latents, target } = setup();
        const run = () => model.synthesize(latents, target);
        const profile = await tf.profile(() => {
          const out = run();
          tf.dispose([out.layoutLogits, out.auxRgb, out.image, out.layout]);
        });
        const out = run();
        const values = {
          image: (await out.image.data()) as Float32Array,
          layout: (await out.layout.data()) as Float32Array,
          kernels: profile.kernels.map((k) => k.name),
        };
        tf.dispose([out.layoutLogits, out.auxRgb, out.image, out.layout]);
        tf.dispose([latents.zs, latents.zl, target]);
        model.dispose();
        return values;
      });
    const cpu = await frame('cpu');
    const gpu = await frame('webgpu');
    const count = (names: string[], name: string) => names.filter((n) => n === name).length;
    // Every convolution and dense layer of the frame ran as a GEMM with an epilogue: no Conv2D,
    // BatchMatMul, Multiply or Add kernels are left (the cpu backend runs them op by op).
    expect(count(gpu.kernels, 'ThScaledConv2D')).toBeGreaterThan(50);
    expect(count(gpu.kernels, 'ThScaledMatMul')).toBeGreaterThan(5);
    for (const name of ['Conv2D', 'BatchMatMul', 'Multiply', 'Add'])
      expect(count(gpu.kernels, name), name).toBe(0);
    expect(count(cpu.kernels, 'Conv2D')).toBeGreaterThan(50);
    const imageErr = relativeMaxError(gpu.image, cpu.image);
    const layoutErr = relativeMaxError(gpu.layout, cpu.layout);
    console.log(
      `lsr-64 frame, webgpu (fused) vs cpu: image ${imageErr.toExponential(2)}, layout ${layoutErr.toExponential(2)} (relative max error)`,
    );
    expect(imageErr).toBeLessThan(1e-4);
    expect(layoutErr).toBeLessThan(1e-4);
    // Not a comparison of zeros: the image varies.
    expect(Math.max(...gpu.image) - Math.min(...gpu.image)).toBeGreaterThan(0.1);
  });
});
