import { describe, expect, it } from 'vitest';
import {
  fragments,
  MATRIX_TILES,
  type MatrixLimits,
  matrixTileBytes,
  matrixTileThreads,
  planMixedGemm,
} from './gemm-matrix-tiles';

/** An H100 through Dawn: subgroups of 32, 48 KiB of workgroup memory, 1024 invocations. */
const H100: MatrixLimits = { subgroupSize: 32, workgroupStorage: 49152, maxThreads: 1024 };

describe('tensor-core tiles and the mixed planner', () => {
  it('every tile is whole fragments per subgroup, a whole number of 16-deep steps, and fits an H100', () => {
    for (const t of MATRIX_TILES) {
      const { fm, fn } = fragments(t);
      expect(Number.isInteger(fm) && fm >= 1, `fm of ${t.bm}x${t.bn}`).toBe(true);
      expect(Number.isInteger(fn) && fn >= 1).toBe(true);
      expect(t.bk % 16).toBe(0);
      expect(matrixTileBytes(t)).toBeLessThanOrEqual(H100.workgroupStorage);
      expect(matrixTileThreads(t, 32)).toBeLessThanOrEqual(256);
    }
    // 2 slabs × 32 steps × (128 + 128) f16, plus 8 subgroups × one 16×16 f32 fragment.
    expect(matrixTileBytes(MATRIX_TILES[0]!)).toBe(32768 + 8192);
  });

  it('large LSR convolutions and their split weight gradients go to the tensor cores', () => {
    const forward = planMixedGemm({ m: 16 * 56 * 56, n: 128, k: 9 * 128, batch: 1 }, H100);
    expect(forward.kind).toBe('matrix');
    expect(forward.plan.tile.bm * forward.plan.tile.bn).toBeGreaterThanOrEqual(128 * 64);
    const weightGradient = planMixedGemm({ m: 9 * 32, n: 32, k: 4 * 224 * 224, batch: 1 }, H100);
    expect(weightGradient.kind).toBe('matrix');
    expect(weightGradient.plan.splits).toBeGreaterThan(1);
  });

  it('tiles beyond the workgroup memory or invocations of the device are not used', () => {
    const small: MatrixLimits = { subgroupSize: 32, workgroupStorage: 32768, maxThreads: 1024 };
    const plan = planMixedGemm({ m: 16 * 56 * 56, n: 256, k: 9 * 256, batch: 1 }, small);
    expect(plan.kind).toBe('matrix');
    expect(matrixTileBytes(plan.plan.tile as (typeof MATRIX_TILES)[number])).toBeLessThanOrEqual(
      32768,
    );
    const wide: MatrixLimits = { subgroupSize: 128, workgroupStorage: 49152, maxThreads: 256 };
    const p2 = planMixedGemm({ m: 16 * 56 * 56, n: 256, k: 9 * 256, batch: 1 }, wide);
    if (p2.kind === 'matrix') expect(matrixTileThreads(p2.plan.tile, 128)).toBeLessThanOrEqual(256);
  });
});
