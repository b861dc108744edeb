import type { Pads } from './conv-driver';
import { argBlock, type KernelRuntime } from './kernel-runtime';
import { paddedCopy } from './padded-copy';
import { WINO_GEMM_ARGS } from './wino-gemm';
import { WINO_OUTPUT_ARGS, WINO_TILE_ARGS } from './winograd-transforms';

/**
 * Smallest channel counts (input and output) for which Winograd F(2×2, 3×3) beats the direct
 * kernel: below them the transforms (memory-bound, O(pixels·C)) outweigh the 2.25× fewer
 * multiply-adds of the products (O(pixels·Ci·Co)). Chosen by measurement, direct and Winograd
 * alternating in one process (process CPU time, load ~4.4): at 32 → 32 channels Winograd took
 * 9.9 / 9.5 / 8.8 ms against the direct kernel's 13.2 / 13.4 / 13.2 (forward, input gradient,
 * filter gradient; 16×32×32, one thread), 2.9 / 2.7 / 2.4 against 3.3 / 3.2 / 3.3 at 4×32×32.
 * (With the first Winograd code, before the product kernel and the cache-friendly plane layout,
 * 32 → 32 only broke even and the threshold was 64.)
 */
export const WINOGRAD_MIN_CHANNELS = 32;

/**
 * Scratch for the transformed tiles V and products M (or, for the filter gradient, Y) of one
 * pass: 16·(Ci + Co) floats per 2×2 tile, 4·(Ci + Co) per output pixel. Jobs run in passes of
 * whole tile rows, so the transforms' output is still in cache when the products read it: at the
 * bench shape (4×64×64, 64 → 64, one thread) 4 MiB passes took 22.6 / 23.1 / 20.0 ms (forward,
 * input gradient, filter gradient) against 25.4 / 24.8 / 22.5 ms for one 32 MiB pass; 0.5–1 MiB
 * passes were no faster on one thread and slower on two (more pool wake-ups).
 */
export const WINOGRAD_SCRATCH_BYTES = 4 << 20;

/** Below this many direct-conv FLOPs the transforms' extra passes are not worth it. */
const WINOGRAD_MIN_FLOPS = 2e7;

/** Whether `winogradConv3x3` serves a stride-1 3×3 conv with these channels and output pixels. */
export function winogradApplies(
  kh: number,
  kw: number,
  ci: number,
  co: number,
  outputPixels: number,
): boolean {
  return (
    kh === 3 &&
    kw === 3 &&
    ci % 4 === 0 &&
    co % 4 === 0 &&
    ci >= WINOGRAD_MIN_CHANNELS &&
    co >= WINOGRAD_MIN_CHANNELS &&
    2 * outputPixels * 9 * ci * co >= WINOGRAD_MIN_FLOPS
  );
}

/** Aim for this many jobs per thread in the products, so threads finishing early take more. */
const JOBS_PER_THREAD = 6;
/** Bytes of A one job of the products should span, so they stay in cache over all of B's panels. */
const PRODUCT_JOB_BYTES = 64 * 1024;

/** The 16 products' operands: `WINO_GEMM_ARGS` but the tiling, with A's layout and C's mode. */
export interface WinogradProducts
  extends Omit<
    Record<keyof typeof WINO_GEMM_ARGS, number>,
    'size' | 'groups' | 'quadsPerGroup' | 'kChunk' | 'accumulate'
  > {
  layout: 'rows' | 'quads';
  accumulate: boolean;
}

/**
 * C[ξ] (+)= A[ξ]·B[ξ] for ξ = 0…15 (`wino_gemm_rows` / `_quads`), on all threads: jobs are
 * groups of 4-row blocks of one plane, each spanning about PRODUCT_JOB_BYTES of A per k-chunk,
 * and enough of them for the pool. No two jobs write the same rows, so no partial sums.
 */
export function winogradProducts(runtime: KernelRuntime, p: WinogradProducts): void {
  const quads = Math.ceil(p.m / 4);
  // Bytes of A per 4-row block and k step: 4 rows × 4 bytes in either layout.
  const kChunk = p.layout === 'quads' ? 256 : p.k;
  const byCache = Math.max(1, Math.floor(PRODUCT_JOB_BYTES / (16 * kChunk)));
  const wantedGroups = Math.ceil((runtime.threads * JOBS_PER_THREAD) / 16);
  const quadsPerGroup = Math.min(byCache, Math.max(1, Math.ceil(quads / wantedGroups)));
  const groups = Math.ceil(quads / quadsPerGroup);
  const { layout, accumulate, ...operands } = p;
  const args = argBlock(WINO_GEMM_ARGS, {
    ...operands,
    kChunk,
    accumulate: accumulate ? 1 : 0,
    groups,
    quadsPerGroup,
  });
  runtime.run(`wino_gemm_${layout}`, 16 * groups, args, runtime.threads > 1);
}

/** Where a tile transform writes V (see `WINO_TILE_ARGS`). */
export interface TileLayout {
  planeBytes: number;
  tileBytes: number;
  pairBytes: number;
  oddBytes: number;
}

/**
 * Run tile transform `kernel` (`wino_input`, `wino_input_panels`, `wino_grad_dy`) over the
 * `passRows` tile rows from `firstRow` of padded images `source` with `c` channels, writing V at
 * `v` laid out as `layout` says.
 */
export function winogradTileTransform(
  runtime: KernelRuntime,
  kernel: 'wino_input' | 'wino_input_panels' | 'wino_grad_dy',
  source: { pointer: number; hp: number; wp: number },
  c: number,
  tiles: { tilesH: number; tilesW: number; firstRow: number; passRows: number },
  v: number,
  layout: TileLayout,
): void {
  const args = argBlock(WINO_TILE_ARGS, {
    x: source.pointer,
    c,
    wp: source.wp,
    imageBytes: source.hp * source.wp * c * 4,
    tilesH: tiles.tilesH,
    tilesW: tiles.tilesW,
    v,
    firstRow: tiles.firstRow,
    ...layout,
  });
  runtime.run(kernel, tiles.passRows, args, runtime.threads > 1);
}

/**
 * Bytes from one of the 16 transformed planes (V, M, Y) to the next for planes of `bytes`:
 * rounded up to 4 KiB, plus one cache line. The tile transforms touch all 16 planes at the same
 * offset one after another; 4 KiB-multiple strides (e.g. 512 tiles × 64 channels) put all 16
 * accesses in one L1 set (8 ways), and the extra line spreads them over 16 sets.
 */
export function planeStride(bytes: number): number {
  return Math.ceil(bytes / 4096) * 4096 + 64;
}

/**
 * The 2×2 output tiles of a 3×3 stride-1 conv of x with `pads`: their grid, and the padding
 * that puts every tile's 4×4 input patch inside the padded image (rows up to 2·tilesH + 2,
 * likewise columns). Checks the shapes Winograd needs; `caller` names the function in errors.
 */
export function winogradTiling(
  caller: string,
  xShape: readonly [number, number, number, number],
  co: number,
  pads: Pads,
) {
  const [n, h, wd, ci] = xShape;
  const oh = h + pads.top + pads.bottom - 2;
  const ow = wd + pads.left + pads.right - 2;
  if (oh < 1 || ow < 1) throw new Error(`${caller}: empty output ${oh}x${ow}`);
  if (ci % 4 !== 0 || co % 4 !== 0) {
    throw new Error(`${caller}: channels ${ci}→${co} must be multiples of 4`);
  }
  const tilesH = Math.ceil(oh / 2);
  const tilesW = Math.ceil(ow / 2);
  const grown = {
    ...pads,
    bottom: pads.bottom + 2 * tilesH - oh,
    right: pads.right + 2 * tilesW - ow,
  };
  return { n, ci, oh, ow, tilesH, tilesW, grown };
}

/** How `winogradConv3x3` reads filter tap (a, b) for input channel c and output channel o. */
export type FilterLayout = 'forward' | 'flipped';

/**
 * U[ξ] = G (scale·g) Gᵀ for every (ci, co) of a 3×3 filter at `w`, written as the 8-channel panels
 * the products read as B ([16][ceil(co/8)][ci][8], zeros past co).
 * 'forward': w is [3, 3, ci, co]. 'flipped': w is the forward filter [3, 3, co, ci] of the conv
 * whose input gradient this is, read flipped and channel-swapped (w'[a,b,c,o] = w[2−a,2−b,o,c]).
 */
function winogradFilterPanels(
  runtime: KernelRuntime,
  w: number,
  ci: number,
  co: number,
  layout: FilterLayout,
  scale: number,
): { pointer: number; panelBytes: number } {
  const blocks = Math.ceil(co / 8);
  const panelBytes = planeStride(blocks * ci * 32);
  const pointer = runtime.allocate(16 * panelBytes, true);
  const heap = runtime.heapF32();
  const plane = panelBytes / 4;
  // Tap k of (c, o) is at base + k·step. Scalar locals only: this loop runs on the calling
  // thread for every (c, o); with array temporaries it took 0.85 ms at 64 → 64, now 0.17.
  const forward = layout === 'forward';
  const step = forward ? ci * co : -ci * co;
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < co; o++) {
      const base = forward ? w / 4 + c * co + o : w / 4 + 8 * ci * co + o * ci + c;
      // t = G g (4×3): column b holds g0, (g0 + g1 + g2)/2, (g0 − g1 + g2)/2, g2 of g's column b.
      let to = pointer / 4 + (o >> 3) * ci * 8 + c * 8 + (o & 7);
      for (let r = 0; r < 4; r++) {
        // Row r of G g: t0, t1, t2 (its three columns).
        const t0 = gRow(heap, base, step, scale, r, 0);
        const t1 = gRow(heap, base, step, scale, r, 1);
        const t2 = gRow(heap, base, step, scale, r, 2);
        // U = t Gᵀ (4×4).
        heap[to] = t0;
        heap[to + plane] = 0.5 * (t0 + t1 + t2);
        heap[to + 2 * plane] = 0.5 * (t0 - t1 + t2);
        heap[to + 3 * plane] = t2;
        to += 4 * plane;
      }
    }
  }
  return { pointer, panelBytes };
}

/**
 * Row r of G (scale·g), column b, in float64: g's column b is taps b, 3 + b, 6 + b at
 * base + k·step.
 */
function gRow(
  heap: Float32Array,
  base: number,
  step: number,
  scale: number,
  r: number,
  b: number,
): number {
  const g0 = scale * heap[base + b * step]!;
  if (r === 0) return g0;
  const g2 = scale * heap[base + (6 + b) * step]!;
  if (r === 3) return g2;
  const g1 = scale * heap[base + (3 + b) * step]!;
  return r === 1 ? 0.5 * (g0 + g1 + g2) : 0.5 * (g0 - g1 + g2);
}

/**
 * y = conv2d(x, w) for a 3×3 filter, stride 1, dilation 1, zero padding `pads`, by Winograd
 * F(2×2, 3×3): input transform (`wino_input`), 16 matrix products of the transformed tiles
 * with the transformed filter (`winogradProducts`, all threads), output transform
 * (`wino_output`). x [n, h, w, ci] at `x`, y [n, oh, ow, co] at `y`; ci and co multiples of 4
 * (`winogradApplies`). The filter is read as `layout` says, so the input gradient (a stride-1
 * conv of dy with the flipped filter) runs here too. With `epilogue`, y = conv2d(x, scale·w) +
 * bias (bias: address of Co floats), the fused equalized-lr conv: the scale goes into the
 * transformed filter, the bias into the output transform. Runs in passes of whole tile rows whose
 * transformed data fit `scratchBytes`.
 */
export function winogradConv3x3(
  runtime: KernelRuntime,
  x: number,
  xShape: readonly [number, number, number, number],
  w: number,
  layout: FilterLayout,
  co: number,
  pads: Pads,
  y: number,
  epilogue?: { scale: number; bias: number },
  scratchBytes = WINOGRAD_SCRATCH_BYTES,
): void {
  const { n, ci, tilesH, tilesW, oh, ow, grown } = winogradTiling(
    'winogradConv3x3',
    xShape,
    co,
    pads,
  );
  const parallel = runtime.threads > 1;
  const padded = paddedCopy(runtime, x, xShape, grown);
  const rows = n * tilesH;
  const rowBytes = 16 * tilesW * (ci + co) * 4;
  const rowsPerPass = Math.max(1, Math.min(rows, Math.floor(scratchBytes / rowBytes)));
  let filter = { pointer: 0, panelBytes: 0 };
  let v = 0;
  let m = 0;
  try {
    filter = winogradFilterPanels(runtime, w, ci, co, layout, epilogue?.scale ?? 1);
    v = runtime.allocate(16 * planeStride(rowsPerPass * tilesW * ci * 4));
    m = runtime.allocate(16 * planeStride(rowsPerPass * tilesW * co * 4));
    for (let firstRow = 0; firstRow < rows; firstRow += rowsPerPass) {
      const passRows = Math.min(rowsPerPass, rows - firstRow);
      const tiles = passRows * tilesW;
      const vPlane = planeStride(tiles * ci * 4);
      const mPlane = planeStride(tiles * co * 4);
      const pass = { tilesH, tilesW, firstRow, passRows };
      const vLayout = { planeBytes: vPlane, tileBytes: ci * 4, pairBytes: 32, oddBytes: 16 };
      winogradTileTransform(runtime, 'wino_input', padded, ci, pass, v, vLayout);
      // M[ξ] = V[ξ]·U[ξ] ([T × Ci]·[Ci × Co]) for all 16 ξ in one job.
      winogradProducts(runtime, {
        layout: 'rows',
        a: v,
        aStride: ci * 4,
        aPlane: vPlane,
        b: filter.pointer,
        bPanel: ci * 32,
        bPlane: filter.panelBytes,
        c: m,
        cRow: co * 4,
        cPlane: mPlane,
        m: tiles,
        n: co,
        k: ci,
        accumulate: false,
      });
      const outArgs = argBlock(WINO_OUTPUT_ARGS, {
        m,
        co,
        planeBytes: mPlane,
        tilesH,
        tilesW,
        y,
        oh,
        ow,
        firstRow,
        bias: epilogue?.bias ?? 0,
      });
      runtime.run('wino_output', passRows, outArgs, parallel);
    }
  } finally {
    runtime.free(padded.pointer);
    runtime.free(filter.pointer);
    runtime.free(v);
    runtime.free(m);
  }
}
