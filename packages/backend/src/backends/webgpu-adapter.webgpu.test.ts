import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { importOptional } from '../util/environment';
import { softwareAdapter } from './webgpu';

interface Dawn {
  create(options: string[]): {
    requestAdapter(o?: object): Promise<Parameters<typeof softwareAdapter>[0] | null>;
  };
  globals: Record<string, unknown>;
}

describe('WebGPU adapter choice', () => {
  it("auto never picks a software adapter; an explicit 'webgpu' request may", async () => {
    const dawn = await importOptional<Dawn>('webgpu');
    const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
    expect(
      adapter,
      'no WebGPU adapter: run scripts/setup.sh (installs Mesa lavapipe)',
    ).toBeTruthy();
    const software = softwareAdapter(adapter!);
    const auto = await init({ backend: 'auto' });
    const webgpu = auto.skipped.find((s) => s.backend === 'webgpu');
    if (software) {
      expect(auto.backend).not.toBe('webgpu');
      expect(webgpu?.reason).toMatch(/software renderer/);
    } else {
      expect(auto.backend).toBe('webgpu');
    }
    const explicit = await init({ backend: 'webgpu' });
    expect(explicit.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
  });
});
