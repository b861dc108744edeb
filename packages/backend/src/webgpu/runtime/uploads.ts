import * as tf from '@tensorflow/tfjs-core';
import {
  type GpuBuffer,
  TENSOR_BUFFER_USAGE,
  type TensorData,
  type WebGPUBackendInternals,
} from './internals';
import { trackRuntimeBytes } from './runtime-memory';

/** Distinct scalar constants kept on the GPU at most (beyond that, scalars upload normally). */
const MAX_SHARED_SCALARS = 4096;

export interface UploadStats {
  /** Uploads of CPU-side tensor values (new tensors from JS, CPU-forwarded results). */
  uploads: number;
  /** Scalars served from the shared constant buffers (no upload at all). */
  sharedScalars: number;
}

/**
 * Replace tfjs-webgpu's `uploadToGPU` with one that costs no buffer creation:
 *
 * - tfjs uploads CPU-side values through a new staging buffer per upload (`createBuffer` +
 *   map + copy, then destroyed): in an LSR step that is ~3k buffer creations, mostly for the
 *   scalars of `tf.mul(x, 0.2)`-style ops. Here the data goes through `queue.writeBuffer` into a
 *   pooled buffer (Dawn stages it in its own ring). This is safe because a pooled buffer is never
 *   referenced by commands still being encoded: tfjs returns buffers of tensors used by pending
 *   commands to the pool only at the next submit.
 * - Scalars (one element) share one immutable GPU buffer per distinct value and dtype, marked
 *   `external` so tfjs never returns it to its pool or writes it. No tfjs kernel writes into an
 *   input, and @th's in-place writers (the multi-tensor Adam) skip external buffers.
 */
export function installFastUploads(be: WebGPUBackendInternals): UploadStats {
  const stats: UploadStats = { uploads: 0, sharedScalars: 0 };
  const shared = new Map<string, GpuBuffer>();
  const original = be.uploadToGPU.bind(be);
  be.uploadToGPU = (dataId: object) => {
    const data = be.tensorMap.get(dataId);
    if (data.resource != null || data.values == null) return original(dataId);
    const { dtype } = data;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') return original(dataId);
    const size = tf.util.sizeFromShape(data.shape);
    const typed = asTyped(data);
    if (size === 1) {
      const key = `${dtype === 'float32' ? 'f' : 'i'}${new Uint32Array(typed.buffer, typed.byteOffset, 1)[0]}`;
      let buffer = shared.get(key);
      if (!buffer && shared.size < MAX_SHARED_SCALARS) {
        buffer = be.device.createBuffer({ size: 4, usage: TENSOR_BUFFER_USAGE });
        be.queue.writeBuffer(buffer, 0, typed, 0, 1);
        shared.set(key, buffer);
        trackRuntimeBytes(4);
      }
      if (buffer) {
        data.resource = buffer;
        data.external = true;
        data.values = null;
        stats.sharedScalars++;
        return;
      }
    }
    const buffer = be.bufferManager.acquireBuffer(size * 4, TENSOR_BUFFER_USAGE);
    be.queue.writeBuffer(buffer, 0, typed, 0, size);
    data.resource = buffer;
    data.values = null;
    stats.uploads++;
  };
  return stats;
}

/** The values as a 4-byte typed array of the GPU layout (bool is stored as int32). */
function asTyped(data: TensorData): Float32Array | Int32Array {
  const v = data.values!;
  if (data.dtype === 'float32') return v instanceof Float32Array ? v : Float32Array.from(v);
  return v instanceof Int32Array ? v : Int32Array.from(v);
}
