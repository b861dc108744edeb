import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { conv2dConfig } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { concatConfig, identityConfig, sliceConfig, splitVConfig } from './copy-kernels';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';
import { rememberOriginalKernel } from './original-kernels';
import { meanConfig, sumConfig } from './reduce-kernels';
import { scaledConv2dConfig } from './scaled-conv2d';

/** The kernels @th installs on the wasm backend, in registration order. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  conv2dConfig,
  sliceConfig,
  splitVConfig,
  concatConfig,
  identityConfig,
  sumConfig,
  meanConfig,
  scaledConv2dConfig,
];

/**
 * Install the kernels the wasm backend lacks (Conv2DBackpropFilter, the two depthwise backprops)
 * or runs slowly (Conv2DBackpropInput; Conv2D with weights that change every call; Slice, SplitV
 * and Concat, which copy through JavaScript element runs; Identity, which copies at all;
 * Sum and Mean over middle axes, which transpose first), and ThScaledConv2D (an equalized-lr
 * conv with its scale and bias in one kernel). Call after the wasm backend is up.
 *
 * Idempotent: a kernel that is already ours is left alone, and every call returns the same list
 * of names. A built-in kernel being replaced is unregistered first (tfjs would otherwise warn),
 * kept for the cases ours hands back (`callOriginalKernel`), and its `setupFunc` is carried over
 * so a later wasm backend instance still initialises it.
 */
export function registerWasmTrainingKernels(): string[] {
  const names: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = getKernel(config.kernelName, config.backendName);
    if (existing?.kernelFunc !== config.kernelFunc) {
      if (existing) {
        rememberOriginalKernel(config.kernelName, existing.kernelFunc);
        unregisterKernel(config.kernelName, config.backendName);
      }
      const setupFunc = existing?.setupFunc;
      registerKernel(setupFunc ? { ...config, setupFunc } : config);
    }
    names.push(config.kernelName);
  }
  return names;
}

/** Whether `kernelName` on wasm is currently the @th implementation (for tests and reports). */
export function isWasmTrainingKernel(kernelName: string): boolean {
  const config = WASM_TRAINING_KERNELS.find((k) => k.kernelName === kernelName);
  const active = getKernel(kernelName, 'wasm')?.kernelFunc as KernelFunc | undefined;
  return config !== undefined && active === config.kernelFunc;
}
