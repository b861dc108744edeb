import * as tf from '@tensorflow/tfjs-core';
import { importOptional, isNode, reasonOf } from '../util/environment';
import { createThreadedWasmModule, unrefPoolThreads } from '../wasm/node-threads';
import { attachKernelRuntime, KernelRuntime } from '../wasm/simd/kernel-runtime';
import { availableCores, resolveThreadCount } from '../wasm/thread-count';
import type { BackendLoader } from './types';

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

/** Directory of tfjs-backend-wasm's .wasm binaries inside node_modules (never a CDN). */
async function nodeWasmDir(): Promise<string> {
  const { createRequire } = await importOptional<typeof import('node:module')>('node:module');
  const path = await importOptional<typeof import('node:path')>('node:path');
  const req = createRequire(import.meta.url);
  const entry = req.resolve('@tensorflow/tfjs-backend-wasm');
  return `${path.dirname(entry)}${path.sep}`;
}

/** How the wasm backend of this process runs: its XNNPACK thread count, and why if only one. */
export interface WasmThreading {
  /** Threads XNNPACK uses (tfjs' `getThreadsCount()`); null before the backend started. */
  threads: number | null;
  /** Threads @th's SIMD kernels (convolutions, copies) use; null if they did not start. */
  kernelThreads: number | null;
  /** Threads asked for (the `wasmThreads` option, else every core up to 8). */
  requested: number | null;
  /** Why fewer threads than requested run, if so. */
  note?: string;
}

const threading: WasmThreading = { threads: null, kernelThreads: null, requested: null };

/** tfjs-backend-wasm's own registry factory, kept when `wrapFactory` first replaces it. */
let tfjsFactory: (() => Promise<tf.KernelBackend>) | null = null;

/** The wasm backend's threading in this process (see `WasmThreading`). */
export function wasmThreading(): WasmThreading {
  return { ...threading };
}

/**
 * Wrap tfjs' registry factory for 'wasm' so the backend starts with `threads` XNNPACK threads.
 * In Node with more than one thread it starts the threaded SIMD build
 * (`createThreadedWasmModule`); if that fails, tfjs' own factory (one thread) runs instead and
 * `wasmThreading().note` says why. Elsewhere tfjs' own factory runs with `setThreadsCount`.
 * No-op once a wasm backend instance exists: a running backend keeps its thread count.
 */
function wrapFactory(wasm: WasmPackage, threads: number, binaryDir: string | undefined): void {
  if (tf.findBackend('wasm')) {
    threading.threads = wasm.getThreadsCount();
    return;
  }
  const registry = (
    tf.engine() as unknown as {
      registryFactory: Record<string, { factory: () => Promise<tf.KernelBackend> }>;
    }
  ).registryFactory;
  tfjsFactory ??= registry.wasm?.factory ?? null;
  const original = tfjsFactory;
  if (!original) throw new Error('tfjs-backend-wasm did not register its backend');
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const backend = await startBackend(wasm, threads, binaryDir, original);
      try {
        const runtime = await KernelRuntime.create(backend, threads);
        attachKernelRuntime(backend, runtime);
        threading.kernelThreads = runtime.threads;
      } catch (err) {
        threading.note = `@th's SIMD kernels did not start (${reasonOf(err)}); tfjs' kernels run`;
      }
      return backend;
    },
    2,
  );
}

/**
 * The tfjs backend itself: in Node with more than one thread the threaded SIMD build
 * (`createThreadedWasmModule`), whose heap is a SharedArrayBuffer the kernel threads share;
 * otherwise (or if that fails) tfjs' own factory.
 */
async function startBackend(
  wasm: WasmPackage,
  threads: number,
  binaryDir: string | undefined,
  original: () => Promise<tf.KernelBackend>,
): Promise<tf.KernelBackend> {
  const startOriginal = async (count: number) => {
    wasm.setThreadsCount(count);
    const backend = await original();
    threading.threads = wasm.getThreadsCount();
    return backend;
  };
  if (!(isNode && threads > 1 && binaryDir)) return startOriginal(threads);
  try {
    const module = await createThreadedWasmModule(threads, binaryDir);
    wasm.setThreadsCount(threads);
    const backend = new wasm.BackendWasm(module as never);
    unrefPoolThreads(module);
    threading.threads = wasm.getThreadsCount();
    return backend;
  } catch (err) {
    threading.note = `the threaded wasm build did not start (${reasonOf(err)}); one thread`;
    return startOriginal(1);
  }
}

/**
 * XNNPACK-backed WebAssembly (SIMD): the fast CPU backend; @th adds its training kernels.
 * Node: the threaded build on `wasmThreads` threads (default: every core, at most 8). Browsers:
 * tfjs' own choice, threaded when the page is cross-origin isolated, else one thread.
 */
export const wasmLoader: BackendLoader = {
  name: 'wasm',
  available: () => null,
  async load(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Explicit option, then TH_WASM_PATHS (e.g. a bundled deployment), then node_modules.
    const fromEnv = isNode ? process.env.TH_WASM_PATHS : undefined;
    const paths = options.wasmPaths ?? fromEnv ?? (isNode ? await nodeWasmDir() : undefined);
    const threads = resolveThreadCount(options.wasmThreads, await availableCores());
    if (threading.requested === null) threading.requested = threads;
    if (paths) wasm.setWasmPaths(paths);
    wrapFactory(wasm, threads, paths);
    return 'wasm';
  },
};
