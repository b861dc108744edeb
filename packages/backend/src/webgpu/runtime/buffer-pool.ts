import {
  type BufferManager,
  type GpuBuffer,
  serialOf,
  type WebGPUBackendInternals,
} from './internals';
import { runtimeBytes } from './runtime-memory';

export interface PoolStats {
  /** Bytes of GPU buffers tensors (and pending uniforms/staging) use now. */
  usedBytes: number;
  /** Bytes tfjs holds: used plus freed-but-pooled buffers. */
  allocatedBytes: number;
  /** Highest `usedBytes` / `allocatedBytes` since the last `resetPeaks()`. */
  peakUsedBytes: number;
  peakAllocatedBytes: number;
  /** Bytes @th's runtime holds outside the pool (Adam's flat buffers, captured graphs). */
  runtimeBytes: number;
  /** Pooled buffers destroyed to stay under the cap. */
  evictedBuffers: number;
}

export interface BufferPool {
  stats(): PoolStats;
  resetPeaks(): void;
  /** Change the cap on pooled free bytes (Infinity: tfjs' behaviour, keep everything). */
  setMaxFreeBytes(bytes: number): void;
  /** Destroy every pooled free buffer now. */
  trim(): void;
  /**
   * Submit pending work (releasing what waits for it) and put the free buffers in a canonical
   * order, so that the same sequence of kernels afterwards gets the same buffers every time.
   */
  canonicalize(): void;
  /**
   * Take a buffer out of the pool's free lists for good (its new owner destroys it). False when
   * it is not free in the pool.
   */
  take(buffer: GpuBuffer): boolean;
}

/**
 * A cap on tfjs-webgpu's buffer pool. tfjs keeps every freed buffer forever, keyed by exact byte
 * size, so a buffer freed at one shape can never serve another: over a training step the pool
 * grows to the sum over shapes of each shape's own peak, far above the true peak of live tensors
 * (27.7 GiB held against 10.7 GiB live on the lsr-224 step, H200). Here the pool may hold at most
 * the highest number of bytes ever in use plus `maxFreeBytes`; beyond that freed buffers are
 * destroyed, oldest first. Between steps nothing is destroyed (the next step needs the same
 * buffers, and meets the same bind groups), and GPU memory never exceeds the live peak + the cap.
 * Peaks of used and held bytes are tracked for the bench.
 */
export function installBufferPool(be: WebGPUBackendInternals, maxFreeBytes: number): BufferPool {
  const bm: BufferManager = be.bufferManager;
  let cap = maxFreeBytes;
  let peakUsed = bm.numBytesUsed;
  let peakAllocated = bm.numBytesAllocated;
  /** The most bytes ever in use (never reset): the pool may hold up to this plus the cap. */
  let highWater = bm.numBytesUsed;
  let evicted = 0;
  // Free buffers in release order. `pooled` maps a buffer that is free now to the serial of its
  // latest release, so an entry from an earlier release of a re-used buffer is skipped.
  let order: Array<{ buffer: GpuBuffer; serial: number }> = [];
  let head = 0;
  let serial = 0;
  const pooled = new Map<GpuBuffer, number>();

  const acquire = bm.acquireBuffer.bind(bm);
  bm.acquireBuffer = (size, usage, mappedAtCreation = false, reuse = true) => {
    const buffer = acquire(size, usage, mappedAtCreation, reuse);
    serialOf(buffer); // serials follow creation order
    pooled.delete(buffer);
    if (bm.numBytesUsed > peakUsed) peakUsed = bm.numBytesUsed;
    if (bm.numBytesUsed > highWater) highWater = bm.numBytesUsed;
    if (bm.numBytesAllocated > peakAllocated) peakAllocated = bm.numBytesAllocated;
    return buffer;
  };
  const release = bm.releaseBuffer.bind(bm);
  bm.releaseBuffer = (buffer, reuse = true) => {
    release(buffer, reuse);
    if (!reuse || bm.freeBuffers.size === 0) return;
    serial++;
    pooled.set(buffer, serial);
    order.push({ buffer, serial });
    evictAbove(highWater + cap);
  };

  /** Destroy free buffers, oldest release first, until at most `limit` bytes are held. */
  function evictAbove(limit: number): void {
    while (bm.numBytesAllocated > limit && head < order.length) {
      const { buffer, serial: released } = order[head++]!;
      if (pooled.get(buffer) !== released) continue;
      pooled.delete(buffer);
      const list = bm.freeBuffers.get(`${buffer.size}_${buffer.usage}`);
      const at = list ? list.indexOf(buffer) : -1;
      if (at < 0) continue;
      list!.splice(at, 1);
      bm.numFreeBuffers--;
      bm.numBytesAllocated -= buffer.size;
      buffer.destroy();
      evicted++;
    }
    if (head > 4096 && head * 2 > order.length) {
      order = order.slice(head).filter((e) => pooled.get(e.buffer) === e.serial);
      head = 0;
    }
  }

  return {
    stats: () => ({
      usedBytes: bm.numBytesUsed,
      allocatedBytes: bm.numBytesAllocated,
      peakUsedBytes: peakUsed,
      peakAllocatedBytes: peakAllocated,
      runtimeBytes: runtimeBytes(),
      evictedBuffers: evicted,
    }),
    resetPeaks() {
      peakUsed = bm.numBytesUsed;
      peakAllocated = bm.numBytesAllocated;
    },
    setMaxFreeBytes(bytes) {
      cap = bytes;
      evictAbove(highWater + cap);
    },
    trim() {
      evictAbove(bm.numBytesUsed);
    },
    take(buffer) {
      const list = bm.freeBuffers.get(`${buffer.size}_${buffer.usage}`);
      const at = list ? list.indexOf(buffer) : -1;
      if (at < 0) return false;
      list!.splice(at, 1);
      pooled.delete(buffer);
      bm.numFreeBuffers--;
      bm.numBytesAllocated -= buffer.size;
      return true;
    },
    canonicalize() {
      if (be.commandEncoder) {
        be.endComputePassEncoder();
        be.submitQueue();
      }
      order = [];
      head = 0;
      pooled.clear();
      for (const list of bm.freeBuffers.values()) {
        // acquireBuffer pops from the end: the lowest serial goes last.
        list.sort((a, b) => serialOf(b) - serialOf(a));
      }
      const all = [...bm.freeBuffers.values()].flat().sort((a, b) => serialOf(a) - serialOf(b));
      for (const buffer of all) {
        serial++;
        pooled.set(buffer, serial);
        order.push({ buffer, serial });
      }
    },
  };
}
