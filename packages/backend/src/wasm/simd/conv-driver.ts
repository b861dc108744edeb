import { CONV_FILTER_GRAD_ARGS } from './conv-filter-grad';
import { CONV_FORWARD_ARGS } from './conv-forward';
import { convForwardKernel } from './kernel-module';
import { argBlock, f32Bits, type KernelRuntime } from './kernel-runtime';
import { PACK_BLOCKS_ARGS } from './pack-blocks';
import { paddedCopy, SCRATCH_SLACK } from './padded-copy';

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
/** Input bytes one forward tile should touch, so they stay in L2 (≥ 1 MiB) while every panel passes. */
const TILE_INPUT_BYTES = 512 * 1024;

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

/**
 * Pack images [n, h, w, c] at `src` into zero-filled panels of `block` channels, each image
 * padded to [hp, wp] with the data at (top, left) (`pack_blocks`). Returns the panels' address
 * and the bytes from one panel to the next.
 */
function packPanels(
  runtime: KernelRuntime,
  src: number,
  shape: readonly [number, number, number, number],
  block: 4 | 8,
  padded: { hp: number; wp: number; top: number; left: number },
  parallel: boolean,
): { pointer: number; panelBytes: number } {
  const [n, h, w, c] = shape;
  const blocks = Math.ceil(c / block);
  const panelBytes = n * padded.hp * padded.wp * block * 4;
  const pointer = runtime.allocate(blocks * panelBytes + SCRATCH_SLACK, true);
  const args = argBlock(PACK_BLOCKS_ARGS, {
    src,
    n,
    h,
    w,
    c,
    block,
    dst: pointer,
    hp: padded.hp,
    wp: padded.wp,
    top: padded.top,
    left: padded.left,
    panelBytes,
  });
  runtime.run('pack_blocks', blocks * n * h, args, parallel);
  return { pointer, panelBytes };
}

/** The filter [kh, kw, ci, co] at `w` as panels of 8 output channels ([blocks][K][8]). */
export function filterPanels(
  runtime: KernelRuntime,
  w: number,
  shape: readonly [number, number, number, number],
): number {
  const [kh, kw, ci, co] = shape;
  const k = kh * kw * ci;
  return packPanels(runtime, w, [1, 1, k, co], 8, { hp: 1, wp: k, top: 0, left: 0 }, false).pointer;
}

/**
 * y = conv2d(x, w) for NHWC images x [n, h, w, ci] at `x` and a filter [kh, kw, ci, co] given as
 * 8-channel panels at `panels` (`filterPanels`), stride 1, dilation 1, zero padding `pads`;
 * y [n, oh, ow, co] at `y` (oh = h + top + bottom − kh + 1, likewise ow); with `epilogue`,
 * y = scale·conv2d(x, w) + bias (bias: address of ceil(co/8)·8 floats, zero past co). Pads the input in
 * scratch, then tiles the output pixels (and, for small images, the channels) so every thread of
 * the pool gets several tiles whose inputs stay in cache.
 */
export function convForward(
  runtime: KernelRuntime,
  x: number,
  xShape: readonly [number, number, number, number],
  panels: number,
  filter: { kh: number; kw: number; co: number },
  pads: Pads,
  y: number,
  epilogue?: { scale: number; bias: number },
): void {
  const [n, h, wd, ci] = xShape;
  const { kh, kw, co } = filter;
  const oh = h + pads.top + pads.bottom - kh + 1;
  const ow = wd + pads.left + pads.right - kw + 1;
  if (oh < 1 || ow < 1) throw new Error(`convForward: empty output ${oh}x${ow}`);
  const padsNeeded = pads.top + pads.bottom + pads.left + pads.right > 0;
  const padded = padsNeeded ? paddedCopy(runtime, x, xShape, pads) : { pointer: x, hp: h, wp: wd };
  try {
    const pixels = n * oh * ow;
    const quads = Math.ceil(pixels / 4);
    const blocks = Math.ceil(co / 8);
    const k = kh * kw * ci;
    const flops = 2 * pixels * k * co;
    const parallel = runtime.threads > 1 && flops >= PARALLEL_MIN_FLOPS;
    const wanted = parallel ? runtime.threads * TILES_PER_THREAD : 1;
    // Split channels only when there are too few pixel groups to go around.
    const coTiles = Math.min(blocks, Math.max(1, Math.ceil(wanted / quads)));
    const blocksPerCoTile = Math.ceil(blocks / coTiles);
    // Pixel groups per tile: few enough that their input rows fit the cache budget...
    const rowBytes = padded.wp * ci * 4;
    const rowsFit = Math.floor(TILE_INPUT_BYTES / rowBytes) - kh;
    const pixelsFit = rowsFit >= 1 ? rowsFit * ow : Math.floor(TILE_INPUT_BYTES / (kh * ci * 4));
    const byCache = Math.max(1, Math.floor(pixelsFit / 4));
    // ...and enough tiles for the threads.
    const byThreads = Math.max(1, Math.ceil((quads * coTiles) / wanted));
    const quadsPerTile = Math.min(byCache, byThreads);
    const coTileCount = Math.ceil(blocks / blocksPerCoTile);
    const args = argBlock(CONV_FORWARD_ARGS, {
      x: padded.pointer,
      w: panels,
      y,
      pixels,
      xPixel: ci * 4,
      panelBytes: k * 32,
      kh,
      tapRun: kw * ci,
      hp: padded.hp,
      wp: padded.wp,
      oh,
      ow,
      yPixel: co * 4,
      co,
      quadsPerTile,
      coTiles: coTileCount,
      blocksPerCoTile,
      epilogue: epilogue ? 1 : 0,
      scale: epilogue ? f32Bits(epilogue.scale) : 0,
      bias: epilogue?.bias ?? 0,
    });
    const tiles = Math.ceil(quads / quadsPerTile) * coTileCount;
    runtime.run(convForwardKernel(ci), tiles, args, parallel);
  } finally {
    if (padded.pointer !== x) runtime.free(padded.pointer);
  }
}

/**
 * dW = the filter gradient of y = conv2d(x, w) (stride 1, dilation 1, zero padding `pads`) for
 * x [n, h, w, ci] at `x` and dy [n, oh, ow, co] at `dy`, written as [kh, kw, ci, co] at `dw`.
 * x (padded) and dy are packed into channel panels first; each thread sums its tiles (blocks of
 * output rows) into its own partial gradient, and the partials are added at the end.
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
  const hp = pads.top + h + pads.bottom;
  const wp = pads.left + wd + pads.right;
  const oh = hp - kh + 1;
  const ow = wp - kw + 1;
  const rows = n * oh;
  const flops = 2 * rows * ow * kh * kw * ci * co;
  const parallel = runtime.threads > 1 && flops >= PARALLEL_MIN_FLOPS;
  const threads = parallel ? runtime.threads : 1;
  const xPanels = packPanels(runtime, x, xShape, 4, { hp, wp, ...pads }, parallel);
  let dyPanels = { pointer: 0, panelBytes: 0 };
  let partial = 0;
  try {
    const dyGrid = { hp: oh, wp: ow, top: 0, left: 0 };
    dyPanels = packPanels(runtime, dy, [n, oh, ow, co], 8, dyGrid, parallel);
    const ciP = roundUp(ci, 4);
    const coP = roundUp(co, 8);
    const partialFloats = kh * kw * ciP * coP;
    partial = runtime.allocate(threads * partialFloats * 4, true);
    // Tiles of whole output rows: enough of them for the threads, but at least ~256 pixels each
    // so the accumulators' loads and stores stay small beside the pixel loop.
    const wanted = threads * TILES_PER_THREAD;
    const rowsPerTile = Math.min(rows, Math.max(Math.ceil(256 / ow), Math.ceil(rows / wanted)));
    const args = argBlock(CONV_FILTER_GRAD_ARGS, {
      x: xPanels.pointer,
      dy: dyPanels.pointer,
      partial,
      partialStride: partialFloats * 4,
      rows,
      oh,
      ow,
      hp,
      wp,
      xPanelBytes: xPanels.panelBytes,
      dyPanelBytes: dyPanels.panelBytes,
      kh,
      kw,
      ciBlocks: ciP / 4,
      coBlocks: coP / 8,
      rowsPerTile,
      pRow: coP * 4,
    });
    runtime.run('conv_filter_grad', Math.ceil(rows / rowsPerTile), args, parallel);
    sumPartials(runtime, partial, partialFloats, threads, { taps: kh * kw, ci, ciP, co, coP }, dw);
  } finally {
    runtime.free(xPanels.pointer);
    runtime.free(dyPanels.pointer);
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
