import { importOptional, isNode } from '../util/environment';

/**
 * The most threads tfjs-backend-wasm 4.22's XNNPACK pool can use: its C++ side caps the pool at 8
 * and its Emscripten build starts 8 workers up front (a pthread beyond those would need the main
 * thread to yield to the event loop while it blocks in `pthreadpool_create`).
 */
export const MAX_WASM_THREADS = 8;

/** Logical cores this process may use: Node's `availableParallelism`, a browser's hardwareConcurrency. */
export async function availableCores(): Promise<number> {
  if (isNode) {
    const os = await importOptional<typeof import('node:os')>('node:os');
    return typeof os.availableParallelism === 'function'
      ? os.availableParallelism()
      : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/**
 * The thread count to start the wasm backend with: `requested` (the `wasmThreads` init option)
 * or else every core, clamped to [1, MAX_WASM_THREADS]. A non-integer or non-positive request
 * is an error that names the option.
 */
export function resolveThreadCount(requested: number | undefined, cores: number): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new Error(`init: wasmThreads must be a positive integer, got ${requested}`);
  }
  return Math.max(1, Math.min(requested ?? cores, MAX_WASM_THREADS));
}
