import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelPool, type TileKernel } from '../threads/worker-pool';
import { KERNEL_NAMES, type KernelName, kernelModuleBytes } from './kernel-module';

/** The bits of an f32 as an i32, for float arguments in a kernel's i32 argument block. */
export function f32Bits(value: number): number {
  return new Int32Array(new Float32Array([value]).buffer)[0]!;
}

/** A kernel's argument-block layout: the i32 slot of every argument, and the slot count. */
export type ArgLayout = { readonly size: number } & { readonly [name: string]: number };

/** One value for every argument of `L` (float arguments as `f32Bits`). */
export type ArgValues<L extends ArgLayout> = Record<Exclude<keyof L, 'size'>, number>;

/**
 * The i32 argument block of a kernel with layout `layout`: every slot from its named value. The
 * type asks for all of them, so a slot cannot be left out unnoticed; a value that is not an
 * integer (undefined, NaN, a stray float) is an error naming the slot.
 */
export function argBlock<L extends ArgLayout>(layout: L, values: ArgValues<L>): number[] {
  const block = new Array<number>(layout.size).fill(0);
  for (const [name, slot] of Object.entries(layout)) {
    if (name === 'size') continue;
    const value = (values as Record<string, number>)[name];
    if (!Number.isInteger(value)) {
      throw new Error(`wasm kernel arguments: ${name} is ${value}, expected an integer`);
    }
    block[slot] = value!;
  }
  return block;
}

/** The parts of tfjs-backend-wasm's BackendWasm and its Emscripten module used here. */

export interface WasmBackendInternals {
  wasm: {
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(pointer: number): void;
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: string): TensorInfo;
}

/** Size of the argument block every job writes its parameters into (i32 slots). */
const ARG_SLOTS = 64;

/**
 * @th's generated SIMD kernels bound to one tfjs wasm backend: the module instantiated on the
 * backend's own heap (tensors are read and written in place, no copies), a pool of threads that
 * share that heap, scratch allocation through the backend's malloc, and one argument block.
 */
export class KernelRuntime {
  private readonly argsPointer: number;
  /** View of the argument block, renewed when the heap grows (a new buffer object then). */
  private argsView: Int32Array;
  private readonly kernelIndex = new Map<string, number>(KERNEL_NAMES.map((n, i) => [n, i]));
  /**
   * Whether 3×3 stride-1 convolutions with enough channels run by Winograd F(2×2, 3×3)
   * (`winogradConv3x3`) rather than the direct kernel. On unless TH_WASM_WINOGRAD=0 was set
   * when the backend started; tests and benchmarks switch it to compare both paths.
   */
  winograd = true;

  private constructor(
    readonly backend: WasmBackendInternals,
    readonly memory: WebAssembly.Memory,
    readonly pool: KernelPool,
  ) {
    this.argsPointer = backend.wasm._malloc(ARG_SLOTS * 4);
    this.argsView = new Int32Array(memory.buffer, this.argsPointer, ARG_SLOTS);
  }

  /** Threads a job may use (1 where the memory is not shared, e.g. browsers without isolation). */
  get threads(): number {
    return this.pool.threads;
  }

  /**
   * Compile the kernels for `backend`'s heap and start `threads − 1` workers (Node, shared heap
   * only; otherwise everything runs on the calling thread).
   */
  static async create(backend: KernelBackend, threads: number): Promise<KernelRuntime> {
    const internals = backend as unknown as WasmBackendInternals;
    const memory = internals.wasm.wasmMemory ?? internals.wasm.asm?.memory;
    if (!memory) throw new Error('KernelRuntime: the tfjs wasm module exposes no memory');
    // SharedArrayBuffer is not even defined in browsers without cross-origin isolation.
    const shared =
      typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = await WebAssembly.compile(kernelModuleBytes(shared) as BufferSource);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const kernels = KERNEL_NAMES.map((name) => instance.exports[name] as TileKernel);
    const workers = shared ? threads - 1 : 0;
    const pool = await KernelPool.start(kernels, KERNEL_NAMES, module, memory, workers);
    return new KernelRuntime(internals, memory, pool);
  }

  /** Byte address of a tensor's data on the heap. */
  address(info: TensorInfo): number {
    return this.backend.dataIdMap.get(info.dataId).memoryOffset;
  }

  /** A fresh view of the heap (the memory may have grown since the last one). */
  heapF32(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  heapU8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** `bytes` of scratch (8-byte aligned) on the heap; `zero` fills it with zeros. */
  allocate(bytes: number, zero = false): number {
    const pointer = this.backend.wasm._malloc(Math.max(bytes, 16));
    if (pointer === 0) throw new Error(`wasm kernels: out of memory allocating ${bytes} bytes`);
    if (zero) this.heapU8().fill(0, pointer, pointer + bytes);
    return pointer;
  }

  free(pointer: number): void {
    if (pointer !== 0) this.backend.wasm._free(pointer);
  }

  /**
   * Write the job's i32 arguments, then run its tiles (spread over the pool when `parallel`).
   */
  run(kernel: KernelName, tiles: number, args: ArrayLike<number>, parallel = true): void {
    if (args.length > ARG_SLOTS) throw new Error(`wasm kernels: ${args.length} arguments`);
    if (this.argsView.buffer !== this.memory.buffer) {
      this.argsView = new Int32Array(this.memory.buffer, this.argsPointer, ARG_SLOTS);
    }
    this.argsView.set(args);
    this.pool.run(this.kernelIndex.get(kernel)!, tiles, this.argsPointer, parallel);
  }
}

const runtimes = new WeakMap<object, KernelRuntime>();

/** The kernel runtime attached to a wasm backend, or null (then kernels fall back to tfjs'). */
export function kernelRuntimeOf(backend: KernelBackend): KernelRuntime | null {
  return runtimes.get(backend) ?? null;
}

/**
 * Attach the runtime to its backend (done once, when the backend is created); disposing the
 * backend stops the runtime's worker threads too.
 */
export function attachKernelRuntime(backend: KernelBackend, runtime: KernelRuntime): void {
  runtimes.set(backend, runtime);
  const dispose = backend.dispose.bind(backend);
  backend.dispose = () => {
    runtimes.delete(backend);
    runtime.pool.dispose();
    dispose();
  };
}
