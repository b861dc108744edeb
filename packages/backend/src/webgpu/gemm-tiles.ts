/**
 * Tile shapes of the tiled GEMM kernel and the choice among them for one problem.
 *
 * Every convolution and matmul @th runs on WebGPU is C[b] = A[b] · B[b] with C of M×N and a
 * reduction of length K (implicit GEMM: A and B are read through index maps, never
 * materialised). A workgroup computes a BM×BN block of C, walking K in steps of BK through
 * workgroup memory; each thread owns TM×TN outputs in registers.
 *
 * Big tiles reuse each loaded value more (128×128 with 8×8 per thread reached ~33 TFLOP/s for
 * fp32 on an H100 through Dawn) but leave the GPU idle when the problem has few tiles, and pad
 * thin problems (N = 3 output channels) with wasted work. So the choice is a small cost model:
 * padded work / (tile efficiency × occupancy), plus the traffic of a split-K reduction, which
 * buys occupancy when M×N is small and K long (the weight gradient: M×N = taps·Cin × Cout,
 * K = batch·H·W).
 */

export interface GemmTile {
  /** Rows (M) and columns (N) of C per workgroup. */
  bm: number;
  bn: number;
  /** Reduction step staged in workgroup memory per iteration. */
  bk: number;
  /** Rows and columns of C per thread (multiples of 4: vec4 registers). */
  tm: number;
  tn: number;
  /** Relative arithmetic throughput of this tile when the GPU is full (1 = best). */
  efficiency: number;
}

/** Threads per workgroup of a tile. */
export const tileThreads = (t: GemmTile): number => (t.bm / t.tm) * (t.bn / t.tn);

/**
 * The tiles the kernel generator is instantiated with, largest first: square and 2:1 tiles for
 * the wide stages, 128×32 / 32×128 for LSR's 32-channel 224×224 layers, 32×32 for small
 * problems, 16×64 for matmuls of a dense layer's few rows, and thin tiles for 3 or 1 output
 * channels. BK is 8 (lavapipe, in CI, compiles a 16-deep slab loop much more slowly). The
 * efficiencies are relative guesses from operand reuse (outputs per loaded element), not
 * measurements of each tile.
 */
export const GEMM_TILES: readonly GemmTile[] = [
  { bm: 128, bn: 128, bk: 8, tm: 8, tn: 8, efficiency: 1 },
  { bm: 128, bn: 64, bk: 8, tm: 8, tn: 4, efficiency: 0.85 },
  { bm: 64, bn: 128, bk: 8, tm: 4, tn: 8, efficiency: 0.85 },
  { bm: 64, bn: 64, bk: 8, tm: 4, tn: 4, efficiency: 0.7 },
  { bm: 128, bn: 32, bk: 8, tm: 8, tn: 4, efficiency: 0.65 },
  { bm: 32, bn: 128, bk: 8, tm: 4, tn: 8, efficiency: 0.65 },
  { bm: 32, bn: 32, bk: 8, tm: 4, tn: 4, efficiency: 0.4 },
  { bm: 16, bn: 64, bk: 8, tm: 4, tn: 4, efficiency: 0.3 },
  // Thin tiles (3 or 1 output channels; matmuls of a few rows) stage a short BK: few registers.
  { bm: 128, bn: 4, bk: 4, tm: 4, tn: 4, efficiency: 0.15 },
  { bm: 4, bn: 128, bk: 4, tm: 4, tn: 4, efficiency: 0.15 },
];

/** Threads that keep a large GPU busy (an H100 has 132 SMs × up to 2048 resident threads). */
const FULL_GPU_THREADS = 65536;
/** A split of K shorter than this many elements costs more in partial sums than it gains. */
const MIN_SPLIT_K = 256;
const MAX_SPLITS = 256;
/** Cost of one partial-sum element (written once, read once), in FLOP-equivalents. */
const PARTIAL_ELEMENT_COST = 64;
/** Workgroups per dispatch dimension WebGPU guarantees. */
const MAX_WORKGROUPS_PER_DIM = 65535;

export interface GemmProblem {
  m: number;
  n: number;
  k: number;
  batch: number;
}

export interface GemmPlan {
  tile: GemmTile;
  /** Number of K splits (1: no split, the kernel writes C directly). */
  splits: number;
  /** BK steps each split walks (the same count for every split; the last may run past K). */
  tilesPerSplit: number;
}

/** What the cost model needs of a tile: its block, K step, threads and relative speed. */
interface Plannable {
  bm: number;
  bn: number;
  bk: number;
  efficiency: number;
}

/** A tile with split-K for one problem, and its modelled cost. */
export interface Planned<T> {
  plan: { tile: T; splits: number; tilesPerSplit: number };
  cost: number;
}

/**
 * The cheapest of `tiles` with its split-K (see the file comment), or null when none fits the
 * dispatch limits. `threadsOf` gives a tile's threads per workgroup.
 */
export function cheapestPlan<T extends Plannable>(
  p: GemmProblem,
  tiles: readonly T[],
  threadsOf: (tile: T) => number,
): Planned<T> | null {
  let best: Planned<T> | null = null;
  for (const tile of tiles) {
    const rowsOfTiles = Math.ceil(p.m / tile.bm);
    const colsOfTiles = Math.ceil(p.n / tile.bn);
    if (rowsOfTiles > MAX_WORKGROUPS_PER_DIM || colsOfTiles > MAX_WORKGROUPS_PER_DIM) continue;
    const workgroups = rowsOfTiles * colsOfTiles * p.batch;
    const threads = threadsOf(tile);
    const kSteps = Math.ceil(p.k / tile.bk);
    const wanted = Math.ceil(FULL_GPU_THREADS / (workgroups * threads));
    const byK = Math.floor(p.k / MIN_SPLIT_K);
    const byDispatch = Math.floor(MAX_WORKGROUPS_PER_DIM / p.batch);
    let splits = Math.max(1, Math.min(wanted, byK, MAX_SPLITS, byDispatch));
    const tilesPerSplit = Math.ceil(kSteps / splits);
    splits = Math.ceil(kSteps / tilesPerSplit);
    const occupancy = Math.min(1, (workgroups * splits * threads) / FULL_GPU_THREADS);
    const padded = 2 * rowsOfTiles * tile.bm * colsOfTiles * tile.bn * tilesPerSplit * splits;
    const work = padded * tile.bk * p.batch;
    const reduction = splits > 1 ? splits * p.m * p.n * p.batch * PARTIAL_ELEMENT_COST : 0;
    const cost = work / (tile.efficiency * occupancy) + reduction;
    if (!best || cost < best.cost) best = { plan: { tile, splits, tilesPerSplit }, cost };
  }
  return best;
}

/** Choose tile and split-K for a problem: the lowest modelled cost (see the file comment). */
export function planGemm(p: GemmProblem, tiles: readonly GemmTile[] = GEMM_TILES): GemmPlan {
  const best = cheapestPlan(p, tiles, tileThreads);
  if (!best) throw new Error(`planGemm: no tile fits M=${p.m}, N=${p.n} in a dispatch`);
  return best.plan;
}
