import type { KernelRuntime } from './kernel-runtime';

/**
 * The filter of the input gradient as a forward convolution: w'[a, b, co, ci] =
 * w[kh−1−a, kw−1−b, ci, co] (both spatial axes flipped, channel axes swapped), written to
 * zero-filled scratch with rows of `rowP` floats (ci widened to a multiple of 8).
 */
export function flippedFilter(
  runtime: KernelRuntime,
  w: number,
  shape: readonly [number, number, number, number],
  rowP: number,
): number {
  const [kh, kw, ci, co] = shape;
  const pointer = runtime.allocate(kh * kw * co * rowP * 4, true);
  const heap = runtime.heapF32();
  const src = w / 4;
  const dst = pointer / 4;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const from = src + ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
      const to = dst + (a * kw + b) * co * rowP;
      for (let c = 0; c < ci; c++) {
        const fromRow = from + c * co;
        for (let o = 0; o < co; o++) heap[to + o * rowP + c] = heap[fromRow + o]!;
      }
    }
  }
  return pointer;
}
