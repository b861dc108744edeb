import {
  cheapestPlan,
  GEMM_TILES,
  type GemmPlan,
  type GemmProblem,
  tileThreads,
} from './gemm-tiles';
import { MATRIX_SHAPE } from './precision';

/**
 * Tiles of the tensor-core GEMM (gemm-matrix-shader.ts). A workgroup computes a BM×BN block of C
 * with sgM×sgN subgroups; each subgroup owns an (BM/sgM)×(BN/sgN) part of it as a grid of 16×16
 * result fragments (subgroup matrices, f32), and walks K in BK-deep slabs of f16 staged in
 * workgroup memory, 16 reduction steps per multiply-accumulate.
 */
export interface MatrixTile {
  bm: number;
  bn: number;
  /** Reduction steps staged per slab (a multiple of 16). */
  bk: number;
  /** Subgroups along M and along N. */
  sgM: number;
  sgN: number;
  /**
   * Relative speed when the GPU is full, on the scale of the tiled kernel's tiles (1 = its
   * 128×128 f32 tile, ~33 TFLOP/s on an H100): a first tensor-core matmul through Dawn reached
   * 74–80 TFLOP/s, so the largest tile is rated 2.3; the others are scaled by operand reuse as
   * the tiled ones are. Guesses, not measurements of each tile.
   */
  efficiency: number;
}

/** 16×16 result fragments per subgroup along M and N. */
export function fragments(t: MatrixTile): { fm: number; fn: number } {
  return { fm: t.bm / (t.sgM * MATRIX_SHAPE.m), fn: t.bn / (t.sgN * MATRIX_SHAPE.n) };
}

/** Threads per workgroup: a whole number of subgroups. */
export const matrixTileThreads = (t: MatrixTile, subgroupSize: number): number =>
  t.sgM * t.sgN * subgroupSize;

/**
 * Workgroup memory of a tile: two f16 slabs of A and of B (B twice when split into hi + lo), and
 * one f32 fragment per subgroup.
 */
export const matrixTileBytes = (t: MatrixTile, splitB = false): number =>
  2 * t.bk * (t.bm + (splitB ? 2 : 1) * t.bn) * 2 +
  t.sgM * t.sgN * MATRIX_SHAPE.m * MATRIX_SHAPE.n * 4;

/**
 * The tensor-core tiles, largest first (with a subgroup size of 32: 256 threads for 128×128,
 * 128 for the 64- and 32-wide ones, 32 for 32×32). 128×32 and 32×128 serve LSR's 32-channel
 * layers (N = 32 outputs, or M = 9·32 for their weight gradients).
 */
export const MATRIX_TILES: readonly MatrixTile[] = [
  { bm: 128, bn: 128, bk: 32, sgM: 2, sgN: 4, efficiency: 2.3 },
  { bm: 128, bn: 64, bk: 32, sgM: 2, sgN: 2, efficiency: 2 },
  { bm: 64, bn: 128, bk: 32, sgM: 2, sgN: 2, efficiency: 2 },
  { bm: 64, bn: 64, bk: 32, sgM: 2, sgN: 2, efficiency: 1.6 },
  { bm: 128, bn: 32, bk: 32, sgM: 4, sgN: 1, efficiency: 1.5 },
  { bm: 32, bn: 128, bk: 32, sgM: 1, sgN: 4, efficiency: 1.5 },
  { bm: 32, bn: 32, bk: 32, sgM: 1, sgN: 1, efficiency: 0.9 },
];

export interface MatrixPlan {
  tile: MatrixTile;
  splits: number;
  tilesPerSplit: number;
}

/** What the device allows the tensor-core kernel. */
export interface MatrixLimits {
  subgroupSize: number;
  /** Bytes of workgroup memory. */
  workgroupStorage: number;
  /** Invocations per workgroup. */
  maxThreads: number;
}

/**
 * Under mixed precision with subgroup matrices: the tensor-core tile or the tiled f16 kernel's
 * tile, whichever the cost model rates cheaper.
 */
export function planMixedGemm(
  p: GemmProblem,
  limits: MatrixLimits,
  splitB = false,
  tiles: readonly MatrixTile[] = MATRIX_TILES,
): { kind: 'matrix'; plan: MatrixPlan } | { kind: 'tiled'; plan: GemmPlan } {
  // A split B doubles the multiply-accumulates (hi and lo).
  const usable = tiles
    .filter(
      (t) =>
        matrixTileBytes(t, splitB) <= limits.workgroupStorage &&
        matrixTileThreads(t, limits.subgroupSize) <= limits.maxThreads,
    )
    .map((t) => (splitB ? { ...t, efficiency: t.efficiency / 2 } : t));
  const matrix = cheapestPlan(p, usable, (t) => matrixTileThreads(t, limits.subgroupSize));
  const tiled = cheapestPlan(p, GEMM_TILES, tileThreads);
  if (!tiled) throw new Error(`planMixedGemm: no tile fits M=${p.m}, N=${p.n} in a dispatch`);
  return matrix && matrix.cost < tiled.cost
    ? { kind: 'matrix', plan: matrix.plan }
    : { kind: 'tiled', plan: tiled.plan };
}
