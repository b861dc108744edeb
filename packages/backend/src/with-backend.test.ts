import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { currentBackend, init } from './init';
import { withBackend } from './with-backend';

describe('withBackend', () => {
  beforeAll(async () => {
    await init({ backend: 'cpu' });
  });

  it('runs on the requested backend and puts the previous one (and its report) back', async () => {
    for (let round = 0; round < 2; round++) {
      const inside = await withBackend('wasm', async () => {
        const y = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([0.5, 0.25]));
        const values = Array.from(await y.data());
        y.dispose();
        return { backend: tf.getBackend(), report: currentBackend()?.backend, values };
      });
      expect(inside).toEqual({ backend: 'wasm', report: 'wasm', values: [1.5, 2.25] });
      expect(tf.getBackend()).toBe('cpu');
      expect(currentBackend()?.backend).toBe('cpu');
    }
  });

  it('switches back when the body throws, and is a no-op on the active backend', async () => {
    await expect(
      withBackend('wasm', () => {
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect(tf.getBackend()).toBe('cpu');
    expect(await withBackend('cpu', () => tf.getBackend())).toBe('cpu');
    expect(currentBackend()?.backend).toBe('cpu');
  });
});
