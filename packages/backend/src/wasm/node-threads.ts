import { importOptional } from '../util/environment';

/** The parts of tfjs-backend-wasm's Emscripten module (threaded SIMD build) used here. */
export interface ThreadedWasmModule {
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: number[]) => number;
  wasmMemory: WebAssembly.Memory;
  PThread: { unusedWorkers: unknown[]; runningWorkers: { unref(): void }[] };
  tfjs?: Record<string, (...args: number[]) => number>;
}

type Factory = (config: Record<string, unknown>) => Promise<ThreadedWasmModule>;

const THREADED_JS = '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
const WORKER_JS =
  '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js';
export const THREADED_BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';

/**
 * Start tfjs-backend-wasm's threaded SIMD build (Emscripten pthreads) in Node, where tfjs itself
 * refuses to (its `WASM_HAS_MULTITHREAD_SUPPORT` flag is false under Node, tfjs #3830).
 *
 * Three things stand in the way, and each is answered here without patching tfjs:
 * - tfjs hands Emscripten its pthread worker as a `blob:` URL, which `worker_threads` cannot
 *   start. Here the worker is a `data:` URL ES module that gives the worker script (tfjs' own
 *   `wasmWorkerContents`) the CommonJS globals it expects (`require`, `__filename`) and runs it;
 *   the worker then loads the factory from its file path (`mainScriptUrlOrBlob`), as Emscripten
 *   does in Node.
 * - tfjs' C++ side sizes the XNNPACK pool as min(requested, logical cores / 2): on a 2-core
 *   machine, 1 thread whatever is asked. The core count comes from the import
 *   `emscripten_num_logical_cores`, so instantiating the module ourselves (`instantiateWasm`)
 *   lets that import report 2 × `threads` and the request stand.
 * - Emscripten keeps a Node process alive while a pthread worker runs; XNNPACK's pool threads
 *   run (parked) for the backend's lifetime, so they are unref'd: Node exits when the program
 *   is done, as it does with the single-threaded build.
 */
export async function createThreadedWasmModule(
  threads: number,
  binaryDir: string,
): Promise<ThreadedWasmModule> {
  const { createRequire } = await importOptional<typeof import('node:module')>('node:module');
  const fs = await importOptional<typeof import('node:fs')>('node:fs');
  const path = await importOptional<typeof import('node:path')>('node:path');
  const { fileURLToPath } = await importOptional<typeof import('node:url')>('node:url');
  const req = createRequire(import.meta.url);
  const factoryPath = req.resolve(THREADED_JS);
  const factory = req(factoryPath) as Factory;
  const { wasmWorkerContents } = req(WORKER_JS) as { wasmWorkerContents: string };
  const dir = binaryDir.startsWith('file:') ? fileURLToPath(binaryDir) : binaryDir;
  const binary = fs.readFileSync(path.join(dir, THREADED_BINARY));

  // tfjs ships the worker script inside a template literal, whose "\n" escapes became real
  // newlines inside string literals: escape them again (tfjs does the same before its Blob).
  const workerScript = wasmWorkerContents.replace(/\n/g, '\\n');
  const bootstrap = [
    "import { createRequire } from 'node:module';",
    `globalThis.require = createRequire(${JSON.stringify(factoryPath)});`,
    `globalThis.__filename = ${JSON.stringify(factoryPath)};`,
    `(0, eval)(${JSON.stringify(workerScript)});`,
  ].join('\n');
  const workerUrl = new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);

  // Compile first so a bad binary rejects here; Emscripten's asynchronous `instantiateWasm`
  // contract has no error path of its own, so an instantiation failure rejects `failed`.
  const compiled = await WebAssembly.compile(binary);
  let fail: (err: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const module = await Promise.race([
    factory({
      locateFile: (file: string) =>
        file.endsWith('.worker.js') ? workerUrl : path.join(path.dirname(factoryPath), file),
      mainScriptUrlOrBlob: factoryPath,
      instantiateWasm(
        imports: { env: Record<string, unknown> },
        receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
      ) {
        // tfjs divides the logical core count by 2 (for hyper-threading) and caps the pool by it.
        imports.env.emscripten_num_logical_cores = () => 2 * threads;
        WebAssembly.instantiate(compiled, imports as WebAssembly.Imports).then(
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
}

/** After the XNNPACK pool has started: let Node exit while its (parked) threads still exist. */
export function unrefPoolThreads(module: ThreadedWasmModule): void {
  for (const worker of module.PThread.runningWorkers) worker.unref();
}
