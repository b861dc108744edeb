import { CONV_FILTER_GRAD_ARGS } from './conv-filter-grad';
import { CONV_FORWARD_ARGS } from './conv-forward';
import type { KernelRuntime } from './kernel-runtime';
import { paddedCopy, widenedRows } from './padded-copy';

/** Zero padding on each side of the image (stride-1 convolutions). */
export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Below this many FLOPs a job runs on the calling thread: waking workers costs more. */
const PARALLEL_MIN_FLOPS = 2e6;
/** Aim for this many tiles per thread, so threads finishing early can take more. */
const TILES_PER_THREAD = 6;

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

/**
 * y = conv2d(x, w) for NHWC images x [n, h, w, ci] at `x`, filter [kh, kw, ci, co] at `w`
 * (float32 on the heap), stride 1, dilation 1, zero padding `pads`; y [n, oh, ow, co] at `y`
 * (oh = h + top + bottom − kh + 1, likewise ow). `filter.row` (default co) is the stored row
 * length of the filter. Pads the input and, unless rows are a multiple of 8 long, widens the
 * filter in scratch first; tiles the output pixels (and, for small images, the
 * channels) so every thread of the pool gets several tiles.
 */
export function convForward(
  runtime: KernelRuntime,
  x: number,
  xShape: readonly [number, number, number, number],
  w: number,
  filter: { kh: number; kw: number; co: number; row?: number },
  pads: Pads,
  y: number,
): void {
  const [n, h, wd, ci] = xShape;
  const { kh, kw, co } = filter;
  // Floats per filter row as stored; rows already widened to a multiple of 8 are used as they are.
  const row = filter.row ?? co;
  const oh = h + pads.top + pads.bottom - kh + 1;
  const ow = wd + pads.left + pads.right - kw + 1;
  if (oh < 1 || ow < 1) throw new Error(`convForward: empty output ${oh}x${ow}`);
  const padsNeeded = pads.top + pads.bottom + pads.left + pads.right > 0;
  const padded = padsNeeded ? paddedCopy(runtime, x, xShape, pads) : { pointer: x, hp: h, wp: wd };
  const coP = roundUp(co, 8);
  const rowP = row % 8 === 0 && row >= coP ? row : coP;
  const wPointer = rowP === row ? w : widenedRows(runtime, w, kh * kw * ci, co, coP);
  try {
    const pixels = n * oh * ow;
    const quads = Math.ceil(pixels / 4);
    const blocks = coP / 8;
    const flops = 2 * pixels * kh * kw * ci * co;
    const parallel = runtime.threads > 1 && flops >= PARALLEL_MIN_FLOPS;
    const wanted = parallel ? runtime.threads * TILES_PER_THREAD : 1;
    // Split channels only when there are too few pixel groups to go around.
    const coTiles = Math.min(blocks, Math.max(1, Math.ceil(wanted / quads)));
    const blocksPerCoTile = Math.ceil(blocks / coTiles);
    const quadsPerTile = Math.max(1, Math.ceil((quads * coTiles) / wanted));
    const pixelTiles = Math.ceil(quads / quadsPerTile);
    const A = CONV_FORWARD_ARGS;
    const args = new Array<number>(A.size);
    args[A.x] = padded.pointer;
    args[A.w] = wPointer;
    args[A.y] = y;
    args[A.pixels] = pixels;
    args[A.xPixel] = ci * 4;
    args[A.wRow] = rowP * 4;
    args[A.kh] = kh;
    args[A.tapRun] = kw * ci;
    args[A.hp] = padded.hp;
    args[A.wp] = padded.wp;
    args[A.oh] = oh;
    args[A.ow] = ow;
    args[A.yPixel] = co * 4;
    args[A.co] = co;
    args[A.quadsPerTile] = quadsPerTile;
    args[A.coTiles] = Math.ceil(blocks / blocksPerCoTile);
    args[A.blocksPerCoTile] = blocksPerCoTile;
    const tiles = pixelTiles * args[A.coTiles]!;
    runtime.run('conv_forward', tiles, args, parallel);
  } finally {
    if (padded.pointer !== x) runtime.free(padded.pointer);
    if (wPointer !== w) runtime.free(wPointer);
  }
}

/**
 * dW = the filter gradient of y = conv2d(x, w) (stride 1, dilation 1, zero padding `pads`) for
 * x [n, h, w, ci] at `x` and dy [n, oh, ow, co] at `dy`, written as [kh, kw, ci, co] at `dw`.
 * Each thread sums its tiles (blocks of output rows) into its own partial gradient; the partials
 * are added at the end.
 */
export function convFilterGrad(
  runtime: KernelRuntime,
  x: number,
  xShape: readonly [number, number, number, number],
  dy: number,
  filter: { kh: number; kw: number; co: number },
  pads: Pads,
  dw: number,
): void {
  const [n, h, wd, ci] = xShape;
  const { kh, kw, co } = filter;
  const oh = h + pads.top + pads.bottom - kh + 1;
  const ow = wd + pads.left + pads.right - kw + 1;
  const padded = paddedCopy(runtime, x, xShape, pads);
  const coP = roundUp(co, 8);
  const ciP = roundUp(ci, 4);
  const rows = n * oh;
  const dyPointer = coP === co ? dy : widenedRows(runtime, dy, rows * ow, co, coP);
  const flops = 2 * rows * ow * kh * kw * ci * co;
  const parallel = runtime.threads > 1 && flops >= PARALLEL_MIN_FLOPS;
  const threads = parallel ? runtime.threads : 1;
  const partialFloats = kh * kw * ciP * coP;
  const partial = runtime.allocate(threads * partialFloats * 4, true);
  try {
    // Tiles of whole output rows: enough of them for the threads, but at least ~256 pixels each
    // so the accumulators' loads and stores stay small beside the pixel loop.
    const wanted = threads * TILES_PER_THREAD;
    const rowsPerTile = Math.max(Math.ceil(256 / ow), Math.ceil(rows / wanted));
    const A = CONV_FILTER_GRAD_ARGS;
    const args = new Array<number>(A.size);
    args[A.x] = padded.pointer;
    args[A.dy] = dyPointer;
    args[A.partial] = partial;
    args[A.partialStride] = partialFloats * 4;
    args[A.rows] = rows;
    args[A.oh] = oh;
    args[A.ow] = ow;
    args[A.hp] = padded.hp;
    args[A.wp] = padded.wp;
    args[A.xPixel] = ci * 4;
    args[A.dyPixel] = coP * 4;
    args[A.kh] = kh;
    args[A.kw] = kw;
    args[A.ciBlocks] = ciP / 4;
    args[A.coBlocks] = coP / 8;
    args[A.rowsPerTile] = Math.min(rowsPerTile, rows);
    args[A.pRow] = coP * 4;
    runtime.run('conv_filter_grad', Math.ceil(rows / args[A.rowsPerTile]!), args, parallel);
    sumPartials(runtime, partial, partialFloats, threads, { taps: kh * kw, ci, ciP, co, coP }, dw);
  } finally {
    runtime.free(padded.pointer);
    if (dyPointer !== dy) runtime.free(dyPointer);
    runtime.free(partial);
  }
}

/** dw[tap, c, o] = Σ_t partial_t[tap, c, o] over the valid rows/columns of the widened layout. */
function sumPartials(
  runtime: KernelRuntime,
  partial: number,
  partialFloats: number,
  threads: number,
  g: { taps: number; ci: number; ciP: number; co: number; coP: number },
  dw: number,
): void {
  const heap = runtime.heapF32();
  const p0 = partial / 4;
  const out = dw / 4;
  for (let tap = 0; tap < g.taps; tap++) {
    for (let c = 0; c < g.ci; c++) {
      const src = p0 + (tap * g.ciP + c) * g.coP;
      const dst = out + (tap * g.ci + c) * g.co;
      for (let o = 0; o < g.co; o++) {
        let sum = heap[src + o]!;
        for (let t = 1; t < threads; t++) sum += heap[src + t * partialFloats + o]!;
        heap[dst + o] = sum;
      }
    }
  }
}
