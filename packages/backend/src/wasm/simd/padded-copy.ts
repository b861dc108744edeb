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

/**
 * Copy images [n, h, w, c] at `source` into zero-filled scratch [n, top + h + bottom,
 * left + w + right, c]: one memset and one strided row copy per image (`copy_rows`).
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
  const pointer = runtime.allocate(n * hp * wp * c * 4 + SCRATCH_SLACK, true);
  for (let i = 0; i < n; i++) {
    const args = argBlock(COPY_ROWS_ARGS, {
      src: source + i * h * w * c * 4,
      srcStride: w * c * 4,
      dst: pointer + ((i * hp + pads.top) * wp + pads.left) * c * 4,
      dstStride: wp * c * 4,
      rows: h,
      length: w * c * 4,
      rowsPerTile: h,
    });
    runtime.run('copy_rows', 1, args, false);
  }
  return { pointer, hp, wp };
}
