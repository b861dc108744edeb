import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batch-matmul';
import { conv2dConfig } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { meanConfig, sumConfig } from './reduce';
import { rememberStockKernel, stockKernel } from './stock-kernels';

/** The WGSL kernels @th installs on the webgpu backend, in registration order. */
export const WEBGPU_KERNELS: readonly KernelConfig[] = [
  conv2dConfig,
  conv2dBackpropInputConfig,
  conv2dBackpropFilterConfig,
  batchMatMulConfig,
  sumConfig,
  meanConfig,
];

/**
 * Replace tfjs-webgpu's Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter and BatchMatMul with
 * @th's tiled implicit-GEMM kernels, and Sum and Mean with @th's transpose-free split reduction. Call after the webgpu backend is registered (`init` does).
 * tfjs' kernel functions are kept and run every call @th's kernels do not cover.
 *
 * Idempotent: a kernel that is already @th's is left alone; every call returns the same names.
 */
export function registerWebGpuKernels(): string[] {
  const names: string[] = [];
  for (const config of WEBGPU_KERNELS) {
    const existing = getKernel(config.kernelName, 'webgpu');
    if (existing?.kernelFunc !== config.kernelFunc) {
      if (existing) {
        rememberStockKernel(config.kernelName, existing.kernelFunc as KernelFunc);
        unregisterKernel(config.kernelName, 'webgpu');
      }
      const { setupFunc, disposeFunc } = existing ?? {};
      registerKernel({
        ...config,
        ...(setupFunc ? { setupFunc } : {}),
        ...(disposeFunc ? { disposeFunc } : {}),
      });
    }
    names.push(config.kernelName);
  }
  return names;
}

/**
 * Put tfjs-webgpu's own kernels back (for side-by-side benchmarks and tests): all of @th's, or
 * only those named in `only`. Returns the names restored.
 */
export function restoreStockWebGpuKernels(only?: readonly string[]): string[] {
  const restored: string[] = [];
  for (const config of WEBGPU_KERNELS) {
    if (only && !only.includes(config.kernelName)) continue;
    const active = getKernel(config.kernelName, 'webgpu');
    const stock = stockKernel(config.kernelName);
    if (active?.kernelFunc !== config.kernelFunc || !stock) continue;
    unregisterKernel(config.kernelName, 'webgpu');
    registerKernel({ ...active, kernelFunc: stock });
    restored.push(config.kernelName);
  }
  return restored;
}

/** Whether `kernelName` on webgpu is currently @th's implementation. */
export function isWebGpuKernel(kernelName: string): boolean {
  const config = WEBGPU_KERNELS.find((k) => k.kernelName === kernelName);
  return config !== undefined && getKernel(kernelName, 'webgpu')?.kernelFunc === config.kernelFunc;
}
