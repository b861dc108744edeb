import * as tf from '@tensorflow/tfjs-core';
import type { BackendLoadOptions, BackendName } from './backends/types';
import { currentBackend, init, restoreReport } from './init';

/**
 * Runs `fn` on backend `name`, brought up exactly as `init({ backend: name })` does (wasm binaries
 * from node_modules or TH_WASM_PATHS, never a CDN; gradients and training kernels registered),
 * then switches back to the backend that was active before and makes its `init` report current
 * again, so a caller training on another backend is not disturbed (e.g. the identity embedders
 * run on wasm, the fastest backend that exists everywhere). With no backend active before, `name`
 * stays active.
 */
export async function withBackend<T>(
  name: BackendName,
  fn: () => Promise<T> | T,
  options: BackendLoadOptions = {},
): Promise<T> {
  const previous = tf.getBackend() as string | null;
  const previousReport = currentBackend();
  if (previous !== name) {
    await init({ ...options, backend: name });
    // init keeps its report when `name` was already chosen, even if tfjs was switched since.
    if (tf.getBackend() !== name && !(await tf.setBackend(name))) {
      throw new Error(`withBackend: the tfjs ${name} backend failed to initialise`);
    }
  }
  try {
    return await fn();
  } finally {
    if (previous && previous !== name) {
      await tf.setBackend(previous);
      restoreReport(previousReport);
    }
  }
}
