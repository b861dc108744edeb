import { importOptional, isNode } from '../util/environment';

/**
 * The most threads @th's wasm kernels start. More rarely pays on one conv at a time, and each
 * thread of a filter-gradient job keeps its own partial sums (up to 9.4 MB for a 3×3 512→512
 * conv).
 */
export const MAX_WASM_THREADS = 16;

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
 * The thread count to start the wasm backend with: `requested` (the `wasmThreads` init option
 * or `TH_WASM_THREADS`, named by `source` in errors) or else every core, clamped to
 * [1, MAX_WASM_THREADS]. A non-integer or non-positive request is an error.
 */
export function resolveThreadCount(
  requested: number | undefined,
  cores: number,
  source = 'init option wasmThreads',
): number {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1)) {
    throw new Error(`${source} must be a positive integer, got ${requested}`);
  }
  return Math.max(1, Math.min(requested ?? cores, MAX_WASM_THREADS));
}
