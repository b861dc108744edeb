import * as tf from '@tensorflow/tfjs-core';
import { type BindCacheStats, installBindGroupCache } from './bind-cache';
import { type BufferPool, installBufferPool } from './buffer-pool';
import { enableFusedKernels } from './fused-ops';
import { webgpuInternals } from './internals';
import { installFastUploads, type UploadStats } from './uploads';

/**
 * How @th tunes tfjs-webgpu when `init({ backend: 'webgpu' })` brings it up. Every knob exists so
 * the bench can measure with and without it (`npm run bench:gpu` records the settings it used).
 */
export interface WebGPURuntimeOptions {
  /** Uploads by `queue.writeBuffer` and shared scalar constants (see `installFastUploads`). */
  fastUploads: boolean;
  /**
   * Bytes the pool may hold beyond the most ever in use, in freed buffers kept for reuse
   * (Infinity: tfjs' keep-everything).
   */
  maxPooledFreeBytes: number;
  /** Kernels tfjs encodes before it submits (tfjs default 15: a submit every 15 dispatches). */
  submitBatch: number;
  /** tfjs' WEBGPU_CPU_FORWARD: run tiny ops whose inputs all live on the CPU there. */
  cpuForward: boolean;
  /** Cache uniform buffers by content and bind groups by buffers (see `installBindGroupCache`). */
  bindGroupCache: boolean;
  /** @th's fused kernels: leaky ReLU (all orders), instance norm + AdaIN/SPADE modulation. */
  fusedKernels: boolean;
}

export const DEFAULT_WEBGPU_RUNTIME: Readonly<WebGPURuntimeOptions> = {
  fastUploads: true,
  maxPooledFreeBytes: 1024 * 1024 * 1024,
  submitBatch: 64,
  cpuForward: true,
  bindGroupCache: true,
  fusedKernels: true,
};

/** tfjs' own behaviour, for before/after measurements. */
export const TFJS_WEBGPU_DEFAULTS: Readonly<WebGPURuntimeOptions> = {
  fastUploads: false,
  maxPooledFreeBytes: Number.POSITIVE_INFINITY,
  submitBatch: 15,
  cpuForward: true,
  bindGroupCache: false,
  fusedKernels: false,
};

export interface WebGPURuntime {
  readonly options: Readonly<WebGPURuntimeOptions>;
  readonly pool: BufferPool;
  /** Upload counters (null when `fastUploads` is off). */
  readonly uploads: UploadStats | null;
  /** Cache hit counters (null when `bindGroupCache` is off). */
  readonly bindCache: BindCacheStats | null;
  /**
   * GPU errors Dawn reported without a caller to throw to (validation, out of memory): a
   * command buffer with an error is dropped whole, so results after one are garbage.
   */
  readonly errors: { count: number; first: string | null };
}

const installed = new WeakMap<object, WebGPURuntime>();

/**
 * Apply @th's runtime to the active webgpu backend (once per backend instance; later calls
 * return the first installation). Returns what was installed, for `init`'s report.
 */
export function installWebGPURuntime(options: Partial<WebGPURuntimeOptions> = {}): string[] {
  const be = webgpuInternals();
  if (!be) throw new Error('installWebGPURuntime: the active backend is not webgpu');
  if (installed.has(be)) return [];
  const fused = enableFusedKernels(options.fusedKernels ?? DEFAULT_WEBGPU_RUNTIME.fusedKernels);
  const o: WebGPURuntimeOptions = { ...DEFAULT_WEBGPU_RUNTIME, ...options };
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', o.submitBatch);
  tf.env().set('WEBGPU_CPU_FORWARD', o.cpuForward);
  const uploads = o.fastUploads ? installFastUploads(be) : null;
  const pool = installBufferPool(be, o.maxPooledFreeBytes);
  const bindCache = o.bindGroupCache ? installBindGroupCache(be) : null;
  const errors = { count: 0, first: null as string | null };
  const device = be.device as unknown as {
    addEventListener?(type: string, f: (e: { error?: { message?: string } }) => void): void;
  };
  device.addEventListener?.('uncapturederror', (e) => {
    errors.count++;
    errors.first ??= e.error?.message ?? 'unknown GPU error';
  });
  installed.set(be, { options: o, pool, uploads, bindCache, errors });
  const added = [`webgpu-runtime: submit every ${o.submitBatch} kernels`];
  if (uploads) added.push('webgpu-runtime: writeBuffer uploads, shared scalar constants');
  if (bindCache) added.push('webgpu-runtime: cached uniforms and bind groups');
  added.push(...fused);
  if (Number.isFinite(o.maxPooledFreeBytes))
    added.push(`webgpu-runtime: pooled free buffers capped at ${o.maxPooledFreeBytes} bytes`);
  return added;
}

/** The runtime installed on the active webgpu backend, or null (other backend / not installed). */
export function webgpuRuntime(): WebGPURuntime | null {
  const be = tf.getBackend() === 'webgpu' ? webgpuInternals() : null;
  return be ? (installed.get(be) ?? null) : null;
}

/**
 * Mark the start of a repeated unit of work (a training step, an inference call). On WebGPU with
 * @th's runtime this flushes pending kernels and puts tfjs' buffer pool in a canonical order, so
 * identical work meets identical buffers and reuses its cached bind groups; elsewhere a no-op.
 */
export function stepBoundary(): void {
  webgpuRuntime()?.pool.canonicalize();
}
