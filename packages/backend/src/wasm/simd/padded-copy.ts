import { COPY_ROWS_ARGS } from './copy-rows';
import { argBlock, type KernelRuntime } from './kernel-runtime';

/** Scratch on the heap holding a zero-padded NHWC image batch (free it with `runtime.free`). */
export interface PaddedImages {
  pointer: number;
  /** Padded height and width. */
  hp: number;
  wp: number;
}

/** Extra bytes after every scratch image buffer: kernels may read up to 3 floats past a pixel. */
export const SCRATCH_SLACK = 64;

/** Below this many bytes the row copies run on the calling thread: waking workers costs more. */
const PARALLEL_MIN_BYTES = 1 << 20;

/**
 * Copy images [n, h, w, c] at `source` into zero-padded scratch [n, top + h + bottom,
 * left + w + right, c]: the border (and the slack after the buffer) zeroed here, the image rows
 * copied by `copy_rows`, one job per image, split over the threads for large images.
 */
export function paddedCopy(
  runtime: KernelRuntime,
  source: number,
  shape: readonly [number, number, number, number],
  pads: { top: number; bottom: number; left: number; right: number },
): PaddedImages {
  const [n, h, w, c] = shape;
  const hp = pads.top + h + pads.bottom;
  const wp = pads.left + w + pads.right;
  const bytes = n * hp * wp * c * 4;
  const pointer = runtime.allocate(bytes + SCRATCH_SLACK);
  const heap = runtime.heapU8();
  const rowBytes = wp * c * 4;
  const [left, right] = [pads.left * c * 4, pads.right * c * 4];
  for (let i = 0; i < n; i++) {
    const image = pointer + i * hp * rowBytes;
    heap.fill(0, image, image + pads.top * rowBytes);
    heap.fill(0, image + (pads.top + h) * rowBytes, image + hp * rowBytes);
    if (left + right === 0) continue;
    for (let r = pads.top; r < pads.top + h; r++) {
      const row = image + r * rowBytes;
      heap.fill(0, row, row + left);
      heap.fill(0, row + rowBytes - right, row + rowBytes);
    }
  }
  heap.fill(0, pointer + bytes, pointer + bytes + SCRATCH_SLACK);
  const parallel = runtime.threads > 1 && bytes >= PARALLEL_MIN_BYTES;
  const rowsPerTile = parallel ? Math.ceil(h / (2 * runtime.threads)) : h;
  for (let i = 0; i < n; i++) {
    const args = argBlock(COPY_ROWS_ARGS, {
      src: source + i * h * w * c * 4,
      srcStride: w * c * 4,
      dst: pointer + ((i * hp + pads.top) * wp + pads.left) * c * 4,
      dstStride: rowBytes,
      rows: h,
      length: w * c * 4,
      rowsPerTile,
    });
    runtime.run('copy_rows', Math.ceil(h / rowsPerTile), args, parallel);
  }
  return { pointer, hp, wp };
}
