import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-wasm's own kernels that @th replaced, kept so a replacement can hand the cases it
 * does not cover (other dtypes, strides, data formats) back to them.
 */
const originals = new Map<string, KernelFunc>();

/** Remember tfjs' kernel for `name` (first registration wins: later calls see ours). */
export function rememberOriginalKernel(name: string, kernelFunc: KernelFunc): void {
  if (!originals.has(name)) originals.set(name, kernelFunc);
}

/** Run tfjs' own kernel `name` with the same arguments. */
export function callOriginalKernel(name: string, args: unknown): TensorInfo {
  const original = originals.get(name);
  if (!original) throw new Error(`wasm: tfjs' own ${name} kernel is not registered`);
  return original(args as never) as TensorInfo;
}
