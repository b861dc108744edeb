import { importOptional, isNode } from '../util/environment';
import type { BackendLoader } from './types';

/** Directory of tfjs-backend-wasm's .wasm binaries inside node_modules (never a CDN). */
async function nodeWasmDir(): Promise<string> {
  const { createRequire } = await importOptional<typeof import('node:module')>('node:module');
  const path = await importOptional<typeof import('node:path')>('node:path');
  const req = createRequire(import.meta.url);
  const entry = req.resolve('@tensorflow/tfjs-backend-wasm');
  return `${path.dirname(entry)}${path.sep}`;
}

/** XNNPACK-backed WebAssembly (SIMD): the fast CPU backend; @th adds its training kernels. */
export const wasmLoader: BackendLoader = {
  name: 'wasm',
  available: () => null,
  async load(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Explicit option, then TH_WASM_PATHS (e.g. a bundled deployment), then node_modules.
    const fromEnv = isNode ? process.env.TH_WASM_PATHS : undefined;
    const paths = options.wasmPaths ?? fromEnv ?? (isNode ? await nodeWasmDir() : undefined);
    if (paths) wasm.setWasmPaths(paths);
    if (options.wasmThreads) wasm.setThreadsCount(options.wasmThreads);
    return 'wasm';
  },
};
