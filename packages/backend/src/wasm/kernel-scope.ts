import {
  type DataType,
  getKernel,
  type KernelBackend,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The two BackendWasm methods tfjs' own wasm kernels use to read and write heap memory. */
interface WasmHeapAccess {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** Inputs of a kernel call: a name → TensorInfo map, or an array (Concat takes a list). */
type KernelInputs = Record<string, TensorInfo> | TensorInfo[];

/**
 * Composes wasm kernels the way tfjs' own kernels do: call other kernels' `kernelFunc` directly
 * on TensorInfos, bypassing the engine (so nothing is recorded on the gradient tape and no
 * Tensor objects are created), and release every intermediate with `backend.disposeData`.
 *
 * Every output of `run` is owned by the scope until `keep` hands it out; `disposeAll` (call it in
 * a `finally`) releases the rest, so a kernel that throws half-way leaks nothing either.
 */
export class KernelScope {
  private readonly owned = new Set<TensorInfo>();

  constructor(
    readonly backend: KernelBackend,
    readonly backendName = 'wasm',
  ) {}

  /** Run the backend's registered kernel `name` and own its output. */
  run(name: string, inputs: KernelInputs, attrs: NamedAttrMap = {}): TensorInfo {
    const kernel = getKernel(name, this.backendName);
    if (!kernel)
      throw new Error(`KernelScope: kernel ${name} is not registered for ${this.backendName}`);
    // Concat's kernel reads its inputs as an array; tfjs passes it that way too.
    const out = kernel.kernelFunc({ inputs: inputs as never, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`KernelScope: kernel ${name} returned several outputs`);
    this.owned.add(out);
    return out;
  }

  /** A view of `x` with another shape (shares the data; the wasm Reshape kernel incRefs it). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /**
   * Columns [start, start + length) of every row of the 2-D float32 `x`, as a new [rows, length]
   * tensor: one memcpy per row on the wasm heap. (The Slice kernel first copies ALL of x out of
   * the heap through readSync, which made the per-tap slices of the filter gradient cost a third
   * of its time.)
   */
  columnWindow(x: TensorInfo, start: number, length: number): TensorInfo {
    const [rows, cols] = x.shape as [number, number];
    if (x.shape.length !== 2 || x.dtype !== 'float32' || start < 0 || start + length > cols) {
      throw new Error(
        `columnWindow: bad window [${start}, ${start + length}) of ${x.dtype} [${x.shape}]`,
      );
    }
    const heap = this.backend as unknown as WasmHeapAccess;
    const out = heap.makeOutput([rows, length], 'float32');
    this.owned.add(out);
    // Views only after makeOutput: growing the wasm memory detaches earlier views.
    const src = heap.typedArrayFromHeap(x);
    const dst = heap.typedArrayFromHeap(out);
    for (let r = 0; r < rows; r++) {
      dst.set(src.subarray(r * cols + start, r * cols + start + length), r * length);
    }
    return out;
  }

  /** Release one intermediate early (large buffers) instead of waiting for `disposeAll`. */
  release(info: TensorInfo): void {
    if (this.owned.delete(info)) this.backend.disposeData(info.dataId);
  }

  /** Hand `info` to the caller: the scope will no longer dispose it. */
  keep(info: TensorInfo): TensorInfo {
    if (!this.owned.delete(info))
      throw new Error('KernelScope.keep: tensor is not owned by this scope');
    return info;
  }

  /** Dispose every intermediate still owned. */
  disposeAll(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.clear();
  }
}
