import * as tf from '@tensorflow/tfjs-core';
import { importOptional, isNode, reasonOf } from '../util/environment';
import { createThreadedWasmModule } from '../wasm/node-threads';
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

/** How the wasm backend of this process uses threads. */
export interface WasmThreading {
  /** Threads asked for: `wasmThreads`, else TH_WASM_THREADS, else every core (at most 16). */
  requested: number | null;
  /** Threads @th's kernels (convolutions, reductions, copies) run on; null before the start. */
  threads: number | null;
  /** Threads tfjs' XNNPACK kernels run on (1 in Node, see `createThreadedWasmModule`). */
  xnnpackThreads: number | null;
  /** Why fewer threads than requested run, if so. */
  note?: string;
}

const threading: WasmThreading = { requested: null, threads: null, xnnpackThreads: null };

/** tfjs-backend-wasm's own registry factory, kept when `wrapFactory` first replaces it. */
let tfjsFactory: (() => Promise<tf.KernelBackend>) | null = null;

/** The wasm backend's threading in this process (see `WasmThreading`). */
export function wasmThreading(): WasmThreading {
  return { ...threading };
}

/**
 * Replace tfjs' registry factory for 'wasm' with one that starts the backend (`startBackend`)
 * and attaches @th's kernel runtime on `threads` threads to it. No-op once a wasm backend
 * instance exists: a running backend keeps its threads.
 */
function wrapFactory(wasm: WasmPackage, threads: number, binaryDir: string | undefined): void {
  if (tf.findBackend('wasm')) return;
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
      threading.xnnpackThreads = wasm.getThreadsCount();
      try {
        const runtime = await KernelRuntime.create(backend, threads);
        runtime.winograd = process.env.TH_WASM_WINOGRAD !== '0';
        attachKernelRuntime(backend, runtime);
        threading.threads = runtime.threads;
        if (runtime.threads < threads && !threading.note) {
          threading.note = 'the wasm heap is not shared here, so @th kernels run on one thread';
        }
      } catch (err) {
        threading.threads = 0;
        threading.note = `@th's wasm kernels did not start (${reasonOf(err)}); tfjs' kernels run`;
      }
      return backend;
    },
    2,
  );
}

/**
 * The tfjs backend itself. In Node with more than one thread: tfjs' threaded SIMD build, whose
 * heap is shared with @th's kernel threads (`createThreadedWasmModule`, XNNPACK on one thread).
 * Otherwise, or if that fails: tfjs' own factory (in browsers threaded where the page is
 * cross-origin isolated, with `threads` XNNPACK threads).
 */
async function startBackend(
  wasm: WasmPackage,
  threads: number,
  binaryDir: string | undefined,
  original: () => Promise<tf.KernelBackend>,
): Promise<tf.KernelBackend> {
  if (isNode && threads > 1 && binaryDir) {
    try {
      const module = await createThreadedWasmModule(binaryDir);
      wasm.setThreadsCount(1);
      return new wasm.BackendWasm(module as never);
    } catch (err) {
      threading.note = `the threaded wasm build did not start (${reasonOf(err)}); one thread`;
    }
  }
  wasm.setThreadsCount(isNode ? 1 : threads);
  return original();
}

/**
 * WebAssembly with SIMD: the fast CPU backend. tfjs' XNNPACK kernels plus @th's (convolutions
 * and their gradients, reductions, copies), which in Node run on `wasmThreads` threads (default:
 * every core, at most 16; or TH_WASM_THREADS) and in browsers on the page's thread.
 */
export const wasmLoader: BackendLoader = {
  name: 'wasm',
  available: () => null,
  async load(options) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // Explicit option, then TH_WASM_PATHS (e.g. a bundled deployment), then node_modules.
    const fromEnv = isNode ? process.env.TH_WASM_PATHS : undefined;
    const paths = options.wasmPaths ?? fromEnv ?? (isNode ? await nodeWasmDir() : undefined);
    const envThreads = isNode ? process.env.TH_WASM_THREADS : undefined;
    const cores = await availableCores();
    const threads =
      options.wasmThreads !== undefined || !envThreads
        ? resolveThreadCount(options.wasmThreads, cores)
        : resolveThreadCount(Number(envThreads), cores, 'TH_WASM_THREADS');
    threading.requested ??= threads;
    if (paths) wasm.setWasmPaths(paths);
    wrapFactory(wasm, threads, paths);
    return 'wasm';
  },
};
