import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

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
    if (!kernel) throw new Error(`KernelScope: kernel ${name} is not registered for ${this.backendName}`);
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

  /** Release one intermediate early (large buffers) instead of waiting for `disposeAll`. */
  release(info: TensorInfo): void {
    if (this.owned.delete(info)) this.backend.disposeData(info.dataId);
  }

  /** Hand `info` to the caller: the scope will no longer dispose it. */
  keep(info: TensorInfo): TensorInfo {
    if (!this.owned.delete(info)) throw new Error('KernelScope.keep: tensor is not owned by this scope');
    return info;
  }

  /** Dispose every intermediate still owned. */
  disposeAll(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.clear();
  }
}
