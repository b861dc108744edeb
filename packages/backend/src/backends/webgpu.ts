import { importOptional, isNode } from '../util/environment';
import type { BackendLoader } from './types';

interface DawnModule {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

let dawnGpu: unknown = null;

/**
 * WebGPU: the browser's `navigator.gpu`, or in Node, Dawn through the optional npm package
 * `webgpu`. tfjs-backend-webgpu registers itself only if `navigator.gpu` exists when it is first
 * imported, so the GPU object is installed before the (dynamic) import.
 */
export const webgpuLoader: BackendLoader = {
  name: 'webgpu',
  available: () => null,
  async load(options) {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    if (!nav?.gpu) {
      if (!isNode) throw new Error('this browser has no navigator.gpu');
      let dawn: DawnModule;
      try {
        dawn = await importOptional<DawnModule>('webgpu');
      } catch {
        throw new Error('the optional npm package "webgpu" (Dawn for Node) is not installed');
      }
      Object.assign(globalThis, dawn.globals);
      dawnGpu = dawn.create(options.dawnOptions ?? []);
      Object.defineProperty(globalThis, 'navigator', {
        value: { ...(nav ?? {}), gpu: dawnGpu },
        configurable: true,
        writable: true,
      });
    }
    const gpu = (globalThis as unknown as { navigator: { gpu: GPULike } }).navigator.gpu;
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('WebGPU found no adapter (no usable GPU driver)');
    await import('@tensorflow/tfjs-backend-webgpu');
    return 'webgpu';
  },
};

interface GPULike {
  requestAdapter(): Promise<unknown>;
}

/** Drop Node's reference to the Dawn GPU object so the process can exit. */
export function releaseDawn(): void {
  dawnGpu = null;
}
