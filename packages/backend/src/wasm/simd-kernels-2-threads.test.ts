import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import { relativeMaxError } from './naive-conv-grads';
import { kernelRuntimeOf } from './simd/kernel-runtime';
import { simdKernelSuite } from './simd-kernel-suite';
import { winogradSuite } from './winograd-suite';

simdKernelSuite(2);
winogradSuite(2);

describe('the kernel pool', () => {
  it('turns a kernel that traps on a worker into an error and keeps working', async () => {
    await init({ backend: 'wasm', wasmThreads: 2 });
    const runtime = kernelRuntimeOf(tf.backend())!;
    const beyond = runtime.memory.buffer.byteLength + 4096;
    // copy_rows reading far outside the heap: every tile traps, on both threads.
    expect(() => runtime.run('copy_rows', 64, [beyond, 0, 0, 0, 64, 4, 1], true)).toThrow();
    const a = tf.tensor4d(createRng(5).normalArray(2 * 20 * 20 * 8), [2, 20, 20, 8]);
    const w = tf.tensor4d(createRng(6).normalArray(3 * 3 * 8 * 16), [3, 3, 8, 16]);
    const y = await tf.conv2d(a, w, 1, 'same').data();
    await init({ backend: 'cpu' });
    const ref = await tf
      .conv2d(tf.tensor4d(await a.data(), a.shape), tf.tensor4d(await w.data(), w.shape), 1, 'same')
      .data();
    expect(relativeMaxError(y, ref)).toBeLessThan(1e-5);
  });

  it('workers read memory the heap grew into just before the job', async () => {
    await init({ backend: 'wasm', wasmThreads: 2 });
    const runtime = kernelRuntimeOf(tf.backend())!;
    const w = tf.tensor4d(createRng(12).normalArray(3 * 3 * 8 * 8), [3, 3, 8, 8]);
    for (let i = 0; i < 3; i++) {
      const before = runtime.memory.buffer.byteLength;
      // 64 MiB more than the heap has: the allocation grows it, and the conv's input lies there.
      const big = tf.zeros([Math.ceil(before / 4) + (16 << 20)]);
      const x = tf.fill([4, 32, 32, 8], 0.5);
      expect(runtime.memory.buffer.byteLength).toBeGreaterThan(before);
      const y = await tf.conv2d(x as tf.Tensor4D, w, 1, 'same').data();
      // Interior pixels see all 9 taps: 0.5 · Σ_{taps, ci} w[.., ci, co].
      const wv = await w.data();
      let expected = 0;
      for (let t = 0; t < 72; t++) expected += 0.5 * wv[t * 8]!;
      const interior = ((0 * 32 + 5) * 32 + 5) * 8;
      expect(y[interior]).toBeCloseTo(expected, 4);
      tf.dispose([big, x]);
    }
    w.dispose();
  });

  it('runs many jobs back to back with the same results as one thread', async () => {
    await init({ backend: 'wasm', wasmThreads: 2 });
    const x = tf.tensor4d(createRng(9).normalArray(4 * 32 * 32 * 8), [4, 32, 32, 8]);
    const w = tf.tensor4d(createRng(10).normalArray(3 * 3 * 8 * 8), [3, 3, 8, 8]);
    const first = await tf.conv2d(x, w, 1, 'same').data();
    let differing = 0;
    for (let i = 0; i < 100; i++) {
      const y = tf.conv2d(x, w, 1, 'same');
      // Each output element is computed by exactly one tile, in the same order: bit-identical.
      const data = await y.data();
      for (let j = 0; j < data.length; j++) if (data[j] !== first[j]) differing++;
      y.dispose();
    }
    expect(differing).toBe(0);
    tf.dispose([x, w]);
  });
});
