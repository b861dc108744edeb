import { describe, expect, it } from 'vitest';
import {
  REDUCE_WORKGROUP,
  type ReducePass,
  reducePass,
  reducePasses,
  reduceView,
} from './reduce-plan';

/**
 * Replays a pass as reduce-program.ts' WGSL runs it (same index arithmetic, one workgroup at a
 * time), counting how often each input element is read and where each partial goes: every
 * element must be read exactly once, into the output of its own (outer, inner) position.
 */
function replay(pass: ReducePass, x: Float64Array): { out: Float64Array; reads: Uint8Array } {
  const { outer, rows: R, inner: I, columns: C, splits: S, chunk } = pass;
  const out = new Float64Array(outer * S * I).fill(Number.NaN);
  const reads = new Uint8Array(x.length);
  const lanes = REDUCE_WORKGROUP / C;
  for (let wg = 0; wg < pass.workgroups; wg++) {
    const s = wg % S;
    for (let col = 0; col < C; col++) {
      const e = Math.floor(wg / S) * C + col;
      if (e >= outer * I) continue;
      const o = Math.floor(e / I);
      const i = e - o * I;
      const r0 = s * chunk;
      const r1 = Math.min(R, r0 + chunk);
      let total = 0;
      for (let lane = 0; lane < lanes; lane++) {
        for (let r = r0 + lane; r < r1; r += lanes) {
          const at = (o * R + r) * I + i;
          reads[at]!++;
          total += x[at]!;
        }
      }
      out[(o * S + s) * I + i] = total;
    }
  }
  return { out, reads };
}

describe('reduceView: the reduced axes as the middle of [outer, rows, inner]', () => {
  it('NHWC → C (bias gradient)', () => {
    expect(reduceView([4, 64, 64, 8], [0, 1, 2])).toEqual({ outer: 1, rows: 16384, inner: 8 });
  });
  it('everything → scalar', () => {
    expect(reduceView([4, 64, 64, 3], [0, 1, 2, 3])).toEqual({ outer: 1, rows: 49152, inner: 1 });
  });
  it('a middle axis (reshape-then-mean pooling)', () => {
    expect(reduceView([512, 2, 32, 16], [1])).toEqual({ outer: 512, rows: 2, inner: 512 });
  });
  it('innermost axes (per-sample sums)', () => {
    expect(reduceView([4, 64, 64, 3], [1, 2, 3])).toEqual({ outer: 4, rows: 12288, inner: 1 });
  });
  it('ignores axes of size 1, reduced or not', () => {
    expect(reduceView([4, 1, 1, 128], [0, 1, 2])).toEqual({ outer: 1, rows: 4, inner: 128 });
    expect(reduceView([4, 1, 6, 5], [0, 2])).toEqual({ outer: 1, rows: 24, inner: 5 });
  });
  it('reduces nothing (a copy) when every reduced axis has size 1', () => {
    expect(reduceView([1, 300], [0])).toEqual({ outer: 1, rows: 1, inner: 300 });
    expect(reduceView([7], [])).toEqual({ outer: 1, rows: 1, inner: 7 });
  });
  it('is null for reduced axes separated by a kept one', () => {
    expect(reduceView([4, 5, 6], [0, 2])).toBeNull();
  });
});

describe('reducePasses covers every element once, in a fixed order', () => {
  const shapes: Array<[string, number, number, number]> = [
    ['bias gradient, split rows', 1, 65536, 8],
    ['scalar of an odd count', 1, 1_000_003, 1],
    ['pooling pair, wide columns', 37, 2, 19],
    ['innermost, many outputs', 300, 19, 1],
    ['wide inner, few rows', 3, 5, 200],
    ['per-sample sums', 4, 12288, 1],
    ['a copy', 1, 1, 300],
    ['wide inner, many rows (narrowed columns, split)', 2, 4096, 100],
  ];
  for (const [name, outer, rows, inner] of shapes) {
    it(name, () => {
      const passes = reducePasses({ outer, rows, inner });
      expect(passes[passes.length - 1]!.splits).toBe(1);
      // Small integers: sums are exact in float64, so the replayed result must equal the plain sum.
      let x: Float64Array = Float64Array.from(
        { length: outer * rows * inner },
        (_, k) => (k * 7919) % 13,
      );
      const expected = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++)
        for (let r = 0; r < rows; r++)
          for (let i = 0; i < inner; i++)
            expected[o * inner + i]! += x[(o * rows + r) * inner + i]!;
      for (const pass of passes) {
        const { out, reads } = replay(pass, x);
        expect(reads.every((n) => n === 1)).toBe(true);
        x = out;
      }
      expect(Array.from(x)).toEqual(Array.from(expected));
    });
  }

  it('splits large reductions over many workgroups (two passes at most), small ones not at all', () => {
    const [bias] = reducePasses({ outer: 1, rows: 4 * 224 * 224, inner: 32 });
    expect(bias!.columns).toBe(8); // 32-byte row segments, 32 row lanes
    expect(bias!.workgroups).toBeGreaterThanOrEqual(512);
    expect(reducePasses({ outer: 1, rows: 4 * 224 * 224, inner: 32 })).toHaveLength(2);
    expect(reducePasses({ outer: 1, rows: 64, inner: 128 })).toHaveLength(1);
    for (const inner of [1, 3, 8, 32, 64, 100, 128, 256, 1000]) {
      for (const rows of [2, 255, 4096, 200_000, 3_000_001]) {
        for (const outer of [1, 3]) {
          const passes = reducePasses({ outer, rows, inner });
          expect(passes.length).toBeLessThanOrEqual(2);
          // Rows one thread adds in sequence, in the pass over the partials.
          const last = passes[passes.length - 1]!;
          if (passes.length === 2) {
            expect(last.rows / (REDUCE_WORKGROUP / last.columns)).toBeLessThanOrEqual(128);
          }
        }
      }
    }
    // Few rows: one workgroup holds 128 outputs (2 row lanes), not 16 with 240 threads idle.
    expect(reducePass({ outer: 16384, rows: 2, inner: 8 }).columns).toBe(128);
  });
});
