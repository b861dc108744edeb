import type { Pads } from './conv-driver';
import type { KernelRuntime } from './kernel-runtime';
import { paddedCopy } from './padded-copy';
import {
  planeStride,
  WINOGRAD_SCRATCH_BYTES,
  winogradProducts,
  winogradTileTransform,
  winogradTiling,
} from './winograd-driver';

/**
 * dW = the filter gradient of y = conv2d(x, w) for a 3×3 filter, stride 1, dilation 1, zero
 * padding `pads`, by Winograd F(3×3, 2×2): x [n, h, w, ci] at `x`, dy [n, oh, ow, co] at `dy`,
 * dW [3, 3, ci, co] at `dw` (ci and co multiples of 4, `winogradApplies`).
 *
 * The output pixels are cut into the forward pass's 2×2 tiles; tile k reads the 4×4 input patch
 * d_k and the 2×2 output-gradient patch g_k, and
 *   dW = Σ_k Rᵀ [(L g_k Lᵀ) ⊙ (Bᵀ d_k B)] R,   R = S·G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 −1],
 * L = S·A = [1 0; 1 1; 1 −1; 0 1], S = diag(1, 1, 1, −1), with the forward transforms' B and G
 * and A = (Aᵀ)ᵀ. (Transposition principle: dW[a] = ∂/∂w[a] of Σ dy·y, and y = Aᵀ[(G w) ⊙
 * (Bᵀ d)] per tile, so the derivative is Gᵀ[(A dy) ⊙ (Bᵀ d)]; S moves a sign out of L.)
 * The sum over k of the ⊙ terms is 16 products M[ξ] = V[ξ]ᵀ·Y[ξ] ([Ci × T]·[T × Co]): the
 * transforms write V and Y straight into the panels of 4 and 8 channels the products read
 * (`winogradProducts`, all threads, each job one plane's rows, so no partial sums), and the 3×3
 * inverse transform runs in float64 at the end (O(Ci·Co), against O(T·Ci·Co) for the products).
 * Runs in passes of whole tile rows whose transformed data fit `scratchBytes`; the products add
 * each pass into M.
 */
export function winogradFilterGrad3x3(
  runtime: KernelRuntime,
  x: number,
  xShape: readonly [number, number, number, number],
  dy: number,
  co: number,
  pads: Pads,
  dw: number,
  scratchBytes = WINOGRAD_SCRATCH_BYTES,
): void {
  const tiling = winogradTiling('winogradFilterGrad3x3', xShape, co, pads);
  const { n, ci, oh, ow, tilesH, tilesW, grown } = tiling;
  const coP = Math.ceil(co / 8) * 8;
  // dy zero-extended to whole 2×2 tiles.
  const extraH = 2 * tilesH - oh;
  const extraW = 2 * tilesW - ow;
  const rows = n * tilesH;
  const rowBytes = 16 * tilesW * (ci + coP) * 4;
  const rowsPerPass = Math.max(1, Math.min(rows, Math.floor(scratchBytes / rowBytes)));
  const mPlane = planeStride(ci * coP * 4);
  const scratch = { padded: 0, dyPadded: 0, m: 0, v: 0, g: 0 };
  try {
    const padded = paddedCopy(runtime, x, xShape, grown);
    scratch.padded = padded.pointer;
    let dyImages = { pointer: dy, hp: oh, wp: ow };
    if (extraH + extraW > 0) {
      const edge = { top: 0, left: 0, bottom: extraH, right: extraW };
      dyImages = paddedCopy(runtime, dy, [n, oh, ow, co], edge);
      scratch.dyPadded = dyImages.pointer;
    }
    scratch.m = runtime.allocate(16 * mPlane, true);
    scratch.v = runtime.allocate(16 * planeStride(rowsPerPass * tilesW * ci * 4));
    // Channels past Co in the last 8-channel panel are never written by the transform; they feed
    // only product columns past Co, which are never read. Zeroed so that the first pass does not
    // multiply whatever the allocator left there (denormals would be slow).
    scratch.g = runtime.allocate(16 * planeStride(rowsPerPass * tilesW * coP * 4), co !== coP);
    for (let firstRow = 0; firstRow < rows; firstRow += rowsPerPass) {
      const passRows = Math.min(rowsPerPass, rows - firstRow);
      const tiles = passRows * tilesW;
      // V in panels of 4 input channels [Ci/4][T][4]; Y in panels of 8 output channels [Co/8][T][8].
      const vLayout = {
        planeBytes: planeStride(tiles * ci * 4),
        tileBytes: 16,
        pairBytes: 32 * tiles,
        oddBytes: 16 * tiles,
      };
      const gLayout = {
        planeBytes: planeStride(tiles * coP * 4),
        tileBytes: 32,
        pairBytes: 32 * tiles,
        oddBytes: 16,
      };
      const pass = { tilesH, tilesW, firstRow, passRows };
      winogradTileTransform(runtime, 'wino_input_panels', padded, ci, pass, scratch.v, vLayout);
      winogradTileTransform(runtime, 'wino_grad_dy', dyImages, co, pass, scratch.g, gLayout);
      // M[ξ] += V[ξ]ᵀ·Y[ξ] ([Ci × T]·[T × Co]) for all 16 ξ in one job.
      winogradProducts(runtime, {
        layout: 'quads',
        a: scratch.v,
        aStride: tiles * 16,
        aPlane: vLayout.planeBytes,
        b: scratch.g,
        bPanel: tiles * 32,
        bPlane: gLayout.planeBytes,
        c: scratch.m,
        cRow: coP * 4,
        cPlane: mPlane,
        m: ci,
        n: coP,
        k: tiles,
        accumulate: true,
      });
    }
    inverseFilterTransform(runtime, scratch.m, { ci, co, coP, mPlane }, dw);
  } finally {
    for (const pointer of Object.values(scratch)) runtime.free(pointer);
  }
}

/**
 * dW[a, b, c, o] = Σ_{r,s} R[r][a]·R[s][b]·M[4r + s][c][o] (M: 16 planes [ci][coP] at `m`,
 * `mPlane` bytes apart), in float64.
 */
function inverseFilterTransform(
  runtime: KernelRuntime,
  m: number,
  g: { ci: number; co: number; coP: number; mPlane: number },
  dw: number,
): void {
  const heap = runtime.heapF32();
  const planeFloats = g.mPlane / 4;
  const t = new Float64Array(12);
  const out = dw / 4;
  const tapStride = g.ci * g.co;
  for (let c = 0; c < g.ci; c++) {
    for (let o = 0; o < g.co; o++) {
      const src = m / 4 + c * g.coP + o;
      // t = Rᵀ M (3×4), then dW = t R (3×3). Scalar locals, no array temporaries: this runs on
      // the calling thread for every (c, o) (64 → 64: 0.63 ms with them, now 0.16).
      for (let s = 0; s < 4; s++) {
        const m0 = heap[src + s * planeFloats]!;
        const m1 = heap[src + (4 + s) * planeFloats]!;
        const m2 = heap[src + (8 + s) * planeFloats]!;
        const m3 = heap[src + (12 + s) * planeFloats]!;
        t[s] = m0 + 0.5 * (m1 + m2);
        t[4 + s] = 0.5 * (m1 - m2);
        t[8 + s] = 0.5 * (m1 + m2) - m3;
      }
      const at = out + c * g.co + o;
      for (let a = 0; a < 3; a++) {
        const t0 = t[a * 4]!;
        const t1 = t[a * 4 + 1]!;
        const t2 = t[a * 4 + 2]!;
        const t3 = t[a * 4 + 3]!;
        heap[at + a * 3 * tapStride] = t0 + 0.5 * (t1 + t2);
        heap[at + (a * 3 + 1) * tapStride] = 0.5 * (t1 - t2);
        heap[at + (a * 3 + 2) * tapStride] = 0.5 * (t1 + t2) - t3;
      }
    }
  }
}
