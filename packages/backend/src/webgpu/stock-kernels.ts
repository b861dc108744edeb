import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * tfjs-webgpu's own kernel functions for the kernels @th replaces, captured when @th's are
 * registered: every call @th's kernels do not cover (NCHW, int32, empty tensors...) runs the
 * original, so correctness never depends on coverage.
 */
const stock = new Map<string, KernelFunc>();

export function rememberStockKernel(kernelName: string, kernelFunc: KernelFunc): void {
  stock.set(kernelName, kernelFunc);
}

export function stockKernel(kernelName: string): KernelFunc | undefined {
  return stock.get(kernelName);
}

/** Run tfjs-webgpu's kernel `kernelName` on the same arguments @th's kernel received. */
export function runStockKernel(kernelName: string, args: Parameters<KernelFunc>[0]): TensorInfo {
  const func = stock.get(kernelName);
  if (!func) {
    throw new Error(
      `@th webgpu ${kernelName}: this call is not covered by @th's kernel and tfjs-webgpu's own ${kernelName} was not captured (registerWebGpuKernels must run after the webgpu backend is imported)`,
    );
  }
  return func(args) as TensorInfo;
}
