import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { autoOrder, init } from './init';

describe('init', () => {
  it('auto in Node skips unavailable backends with reasons and lands on a working one', async () => {
    const report = await init({ backend: 'auto' });
    expect(autoOrder()).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    // tfjs-node is not installed here; on CPU machines Dawn finds no adapter or only a software
    // one (lavapipe), which auto skips.
    const skippedNames = report.skipped.map((s) => s.backend);
    expect(skippedNames).toContain('tensorflow');
    for (const s of report.skipped) expect(s.reason.length).toBeGreaterThan(5);
    expect(['webgpu', 'wasm']).toContain(report.backend);
    expect(tf.getBackend()).toBe(report.backend);
  });

  it('registers gradients so tf.grad works on the chosen backend', async () => {
    await init({ backend: 'cpu' });
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(x, x)));
    const out = g(tf.tensor1d([1, -2, 3]));
    expect(Array.from(await out.data())).toEqual([2, -4, 6]);
  });

  it('rejects unknown backends with a clear error', async () => {
    await expect(init({ backend: 'cuda' as never })).rejects.toThrow(/unknown backend "cuda"/);
  });
});
