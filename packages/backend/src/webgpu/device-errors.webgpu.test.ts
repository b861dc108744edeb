import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { init } from '../init';

describe('WebGPU device errors are reported, not silent', () => {
  afterEach(() => vi.restoreAllMocks());

  it('an op over the storage-binding limit warns, naming the limit', async () => {
    await init({ backend: 'webgpu' });
    const backend = tf.backend() as unknown as { device: { limits: Record<string, number> } };
    const limit = backend.device.limits.maxStorageBufferBindingSize!;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // One float more than the limit allows in a single binding: the dispatch is dropped.
    const big = tf.fill([limit / 4 + 1], 1);
    const sum = tf.sum(big);
    await sum.data();
    tf.dispose([big, sum]);
    // The uncaptured-error event arrives asynchronously after the submit.
    for (let i = 0; i < 50 && warn.mock.calls.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const lines = warn.mock.calls.map((c) => String(c[0]));
    expect(lines.some((l) => l.startsWith('[@th/backend] WebGPU error'))).toBe(true);
    expect(lines.some((l) => l.includes(`storage-binding limit of ${limit} bytes`))).toBe(true);
  });
});
