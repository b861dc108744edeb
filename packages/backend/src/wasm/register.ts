/**
 * Kernels the wasm backend lacks for training. PLACEHOLDER: filled in by the wasm kernel work.
 * Returns the kernel names registered.
 */
export function registerWasmTrainingKernels(): string[] {
  return [];
}
