import type { Precision, PrecisionOptions } from '../webgpu/precision';
import type { WebGPURuntimeOptions } from '../webgpu/runtime/install';

/** A tfjs backend @th knows how to bring up. */
export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** What `init` is asked for: a backend by name, or `auto` (the fastest that can train). */
export type BackendPreference = 'auto' | BackendName;

export interface BackendLoadOptions {
  /** Folder or URL holding tfjs-backend-wasm's `.wasm` files. Node default: node_modules. */
  wasmPaths?: string;
  /** Threads for the wasm backend (default: TH_WASM_THREADS, else every core; at most 16). */
  wasmThreads?: number;
  /** Dawn adapter options for WebGPU in Node, e.g. `['backend=vulkan']`. */
  dawnOptions?: string[];
  /** How @th tunes tfjs-webgpu (uploads, buffer pool cap, submit batching); defaults are @th's. */
  webgpuRuntime?: Partial<WebGPURuntimeOptions>;
  /**
   * Free gradients and saved tensors as the backward pass goes (default true; false: tfjs' own
   * backward pass, which keeps them all to its end). Same values either way.
   */
  earlyFreeBackprop?: boolean;
  /**
   * 'mixed': convolutions and matmuls round their operands to f16 and accumulate in f32 where
   * the backend can (WebGPU with `shader-f16`; on the tensor cores with subgroup matrices);
   * everything else stays f32 (docs/design.md#mixed-precision). Default 'f32'. In Node, 'mixed'
   * also creates Dawn's GPU object with the toggles NVIDIA needs for f16.
   */
  precision?: Precision;
  /** Under precision 'mixed': weights as two f16 terms (see `PrecisionOptions`). */
  splitWeights?: PrecisionOptions['splitWeights'];
  /**
   * Imports `@tensorflow/tfjs-backend-webgpu` when @th should not import it by name, e.g. in a
   * bundle that carries it inside: `() => import('@tensorflow/tfjs-backend-webgpu')`. Called
   * once the GPU object exists, since that package registers itself only if it sees one.
   */
  webgpuModule?: () => Promise<unknown>;
}

/** Brings one backend up: registers it with tfjs and returns its registry name. Throws why not. */
export interface BackendLoader {
  name: BackendName;
  /** Whether it can run at all here (Node vs browser), with the reason when it cannot. */
  available(): string | null;
  /**
   * Import and register the backend; resolves to tfjs' registry name (e.g. 'tensorflow').
   * `request.explicit`: the caller named this backend (not `auto`), so it may be slow (e.g. a
   * software WebGPU adapter, which `auto` must never choose).
   */
  load(options: BackendLoadOptions, request?: { explicit: boolean }): Promise<string>;
}
