import type { KernelRuntime } from './kernel-runtime';

/**
 * The filter of the input gradient as a forward convolution, w'[a, b, co, ci] =
 * w[kh−1−a, kw−1−b, ci, co] (both spatial axes flipped, channel axes swapped), written straight
 * into the 8-channel panels `convForward` reads ([ceil(ci/8)][kh·kw·co][8], zero-filled).
 */
export function flippedFilterPanels(
  runtime: KernelRuntime,
  w: number,
  shape: readonly [number, number, number, number],
): number {
  const [kh, kw, ci, co] = shape;
  const k = kh * kw * co;
  const pointer = runtime.allocate(Math.ceil(ci / 8) * k * 32, true);
  const heap = runtime.heapF32();
  const src = w / 4;
  const dst = pointer / 4;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const from = src + ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
      const row = (a * kw + b) * co;
      for (let c = 0; c < ci; c++) {
        const fromRow = from + c * co;
        const to = dst + (c >> 3) * k * 8 + row * 8 + (c & 7);
        for (let o = 0; o < co; o++) heap[to + o * 8] = heap[fromRow + o]!;
      }
    }
  }
  return pointer;
}
