import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init, restoreReport } from '../init';

// Bundles for machines without node_modules hand the tfjs webgpu backend in as a function
// (`webgpuModule`) instead of letting @th import the optional peer by name.
describe('init({ webgpuModule })', () => {
  it('imports the webgpu backend through the given function, after the GPU object exists', async () => {
    let sawGpu: boolean | null = null;
    const report = await init({
      backend: 'webgpu',
      webgpuModule: () => {
        sawGpu = Boolean((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu);
        return import('@tensorflow/tfjs-backend-webgpu');
      },
    });
    expect(sawGpu).toBe(true);
    expect(report.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const sum = await tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).data();
    expect(Array.from(sum)).toEqual([4, 6]);
  });

  it('says so when the function does not register the backend', async () => {
    tf.removeBackend('webgpu');
    restoreReport(null);
    await expect(init({ backend: 'webgpu', webgpuModule: async () => ({}) })).rejects.toThrow(
      /did not register the webgpu backend/,
    );
  });
});
