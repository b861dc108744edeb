import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { tensorsLeakedPerRun } from '../testing/memory';
import { createRng } from '../util/rng';
import { EXPECTED_WASM_KERNEL_NAMES } from './expected-kernel-names';
import { relativeMaxError } from './naive-conv-grads';
import { isWasmTrainingKernel, registerWasmTrainingKernels } from './register';

/** conv(3x3 same, 3→6) → relu → conv(3x3 stride 2 same, 6→4) → mean, and its 3 gradients. */
async function smallNetGrads(x: Float32Array, w1: Float32Array, w2: Float32Array) {
  const xt = tf.tensor4d(x, [4, 9, 9, 3]);
  const w1t = tf.tensor4d(w1, [3, 3, 3, 6]);
  const w2t = tf.tensor4d(w2, [3, 3, 6, 4]);
  const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf.mean(
      tf.conv2d(
        tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')),
        c as tf.Tensor4D,
        2,
        'same',
      ),
    );
  const grads = tf.grads(loss)([xt, w1t, w2t]);
  const out = await Promise.all(grads.map((g) => g.data()));
  tf.dispose([xt, w1t, w2t, ...grads]);
  return out;
}

/** The wasm backend object (typed loosely: only its data bookkeeping is used). */
function wasmBackend(): { numDataIds(): number; wasm: { HEAPU8: Uint8Array } } {
  return tf.findBackend('wasm') as never;
}

describe('wasm training kernels', () => {
  it('a small conv net trains on wasm with the gradients of the cpu backend', async () => {
    const rng = createRng(11);
    const x = rng.normalArray(4 * 9 * 9 * 3);
    const w1 = rng.normalArray(3 * 3 * 3 * 6, 0.4);
    const w2 = rng.normalArray(3 * 3 * 6 * 4, 0.4);
    await init({ backend: 'cpu' });
    const cpu = await smallNetGrads(x, w1, w2);
    await init({ backend: 'wasm' });
    const wasm = await smallNetGrads(x, w1, w2);
    for (let i = 0; i < 3; i++) {
      expect(relativeMaxError(wasm[i]!, cpu[i]!)).toBeLessThan(1e-4);
      expect(Math.max(...cpu[i]!.map(Math.abs))).toBeGreaterThan(1e-4);
    }
  });

  it('registration is idempotent and keeps the same kernel functions', async () => {
    await init({ backend: 'wasm' });
    const before = tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc;
    expect(registerWasmTrainingKernels()).toEqual(EXPECTED_WASM_KERNEL_NAMES);
    expect(registerWasmTrainingKernels()).toEqual(EXPECTED_WASM_KERNEL_NAMES);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).toBe(before);
    expect(isWasmTrainingKernel('Conv2DBackpropInput')).toBe(true);
    expect(isWasmTrainingKernel('MaxPool')).toBe(false);
  });

  it('leaks no tensors, data ids or wasm heap across repeated training steps', async () => {
    await init({ backend: 'wasm' });
    const rng = createRng(3);
    const x = tf.tensor4d(rng.normalArray(2 * 16 * 16 * 8), [2, 16, 16, 8]);
    const w = tf.tensor4d(rng.normalArray(3 * 3 * 8 * 8), [3, 3, 8, 8]);
    const step = (strides: number) => async () => {
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, 'same'))),
      )([x, w]);
      await dw!.data();
      tf.dispose([dx!, dw!]);
    };
    const backend = wasmBackend();
    for (const strides of [1, 2]) {
      await step(strides)();
      const ids = backend.numDataIds();
      const heap = backend.wasm.HEAPU8.length;
      expect(await tensorsLeakedPerRun(step(strides), 10)).toBe(0);
      expect(backend.numDataIds()).toBe(ids);
      expect(backend.wasm.HEAPU8.length).toBe(heap);
    }
    tf.dispose([x, w]);
  });

  it('rejects a dy of the wrong shape with a clear error and leaks nothing', async () => {
    await init({ backend: 'wasm' });
    const x = tf.zeros([1, 8, 8, 2]);
    const dy = tf.zeros([1, 7, 8, 3]);
    const ids = wasmBackend().numDataIds();
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] };
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never)).toThrow(
      /dy has shape \[1,7,8,3\] but the forward conv .* gives \[1,8,8,3\]/,
    );
    const nchw = { ...attrs, dataFormat: 'NCHW' };
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, nchw as never)).toThrow(
      /only dataFormat NHWC/,
    );
    expect(wasmBackend().numDataIds()).toBe(ids);
    tf.dispose([x, dy]);
  });
});
