import { importOptional } from '../util/environment';

/** The parts of tfjs-backend-wasm's Emscripten module (threaded SIMD build) used here. */
export interface ThreadedWasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  wasmMemory: WebAssembly.Memory;
  tfjs?: Record<string, (...args: number[]) => number>;
}

type Factory = (config: Record<string, unknown>) => Promise<ThreadedWasmModule>;

const THREADED_JS = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
export const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

type MessageHandler = (data: unknown) => void;

/**
 * Stands in for the 8 pthread workers Emscripten creates up front (the build's pool size). With
 * XNNPACK on one thread no pthread ever starts, so instead of 8 worker threads that each load the
 * module (~0.1 s and ~10 MB apiece) it gets these: 'load' is answered 'loaded' at once, and any
 * attempt to run a pthread on one fails loudly instead of hanging.
 */
class PlaceholderWorker {
  private readonly handlers: MessageHandler[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;

  on(event: string, handler: MessageHandler): void {
    if (event === 'message') this.handlers.push(handler);
  }

  postMessage(message: { cmd?: string }): void {
    if (message.cmd === 'load') {
      setImmediate(() => {
        const reply = { cmd: 'loaded' };
        for (const h of this.handlers) h(reply);
        if (this.handlers.length === 0) this.onmessage?.({ data: reply });
      });
      return;
    }
    throw new Error(
      `tfjs-backend-wasm tried to use a pthread (${message.cmd}); @th runs XNNPACK on one thread`,
    );
  }

  ref(): void {}
  unref(): void {}
  terminate(): void {}
}

/**
 * tfjs-backend-wasm's threaded SIMD build, started in Node (tfjs itself refuses: its
 * `WASM_HAS_MULTITHREAD_SUPPORT` flag is false under Node, tfjs #3830) for one reason: its heap
 * is a shared WebAssembly.Memory, which @th's kernel threads (`KernelPool`) can work on in place.
 * XNNPACK itself stays on one thread: its pthreadpool spin-waits between operations, which on a
 * busy machine cost a training step more CPU time than its threads saved (measured: 2.6–3.4 s
 * against 1.6 s of CPU per lsr-64 step). So the module gets `PlaceholderWorker`s instead of
 * real pthread workers, and the binary is read from `binaryDir` (the `wasmPaths` option).
 */
export async function createThreadedWasmModule(binaryDir: string): Promise<ThreadedWasmModule> {
  const { createRequire } = await importOptional<typeof import('node:module')>('node:module');
  const fs = await importOptional<typeof import('node:fs')>('node:fs');
  const path = await importOptional<typeof import('node:path')>('node:path');
  const { fileURLToPath } = await importOptional<typeof import('node:url')>('node:url');
  const req = createRequire(import.meta.url);
  const factoryPath = req.resolve(THREADED_JS);
  const factory = req(factoryPath) as Factory;
  const dir = binaryDir.startsWith('file:') ? fileURLToPath(binaryDir) : binaryDir;
  // Compile first so a missing or bad binary rejects here: Emscripten's asynchronous
  // `instantiateWasm` contract has no error path of its own, so `failed` carries that one.
  const compiled = await WebAssembly.compile(fs.readFileSync(path.join(dir, THREADED_BINARY)));
  let fail: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  // The factory assigns `global.Worker` (to worker_threads' Worker) and then constructs its pool
  // with `new Worker(...)`: an accessor hands it the placeholder instead, and is removed after.
  const g = globalThis as Record<string, unknown>;
  const previous = Object.getOwnPropertyDescriptor(g, 'Worker');
  Object.defineProperty(g, 'Worker', {
    configurable: true,
    get: () => PlaceholderWorker,
    set: () => {},
  });
  try {
    const module = await Promise.race([
      factory({
        locateFile: (file: string) => path.join(path.dirname(factoryPath), file),
        mainScriptUrlOrBlob: factoryPath,
        instantiateWasm(
          imports: WebAssembly.Imports,
          receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
        ) {
          WebAssembly.instantiate(compiled, imports).then(
            (instance) => receive(instance, compiled),
            fail,
          );
          return {};
        },
      }),
      failed,
    ]);
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    return module;
  } finally {
    if (previous) Object.defineProperty(g, 'Worker', previous);
    else delete g.Worker;
  }
}
