import { withBackend } from '@th/backend';

/**
 * Runs `fn` on the tfjs wasm backend, started by `@th/backend` (binaries from node_modules, never a
 * CDN), and restores the previously active backend afterwards, so a caller training on another
 * backend is not disturbed. The identity networks run here because wasm is the fastest backend
 * that exists everywhere (notes/platform.md: ~30x the pure-JS cpu backend on convolutions).
 */
export function onWasmBackend<T>(fn: () => Promise<T> | T): Promise<T> {
  return withBackend('wasm', fn);
}
