import { FunctionBuilder, I32, V128 } from './wasm-builder';

/**
 * Argument block of `wino_gemm_rows` and `wino_gemm_quads` (i32 slots; addresses and strides
 * in bytes): the 16 independent products of a Winograd convolution, C[ξ] (+)= A[ξ]·B[ξ] for
 * ξ = 0…15, each [m × k]·[k × n].
 *
 * B[ξ] is in panels of 8 columns ([ceil(n/8)][k][8], zeros past n), C[ξ] is row-major with any
 * row stride. A[ξ] comes in one of two layouts, one per kernel:
 *  - rows (`wino_gemm_rows`): row r at a + r·aStride, its k values contiguous (the forward
 *    pass's tiles × input channels, V[ξ] as [T][Ci]); m may be any count;
 *  - quads (`wino_gemm_quads`): panels of 4 rows, [m/4][k][4], aStride bytes from one panel to
 *    the next (the filter gradient's Vᵀ: input channels × tiles); m a multiple of 4.
 */
export const WINO_GEMM_ARGS = {
  a: 0,
  aStride: 1,
  aPlane: 2,
  b: 3,
  /** Bytes from one 8-column panel of B to the next (k·32). */
  bPanel: 4,
  bPlane: 5,
  c: 6,
  cRow: 7,
  cPlane: 8,
  m: 9,
  n: 10,
  k: 11,
  /** The k loop runs in chunks of this many steps, so a chunk of A and B stays in cache. */
  kChunk: 12,
  /** 1: add to C; 0: overwrite C. */
  accumulate: 13,
  /** Jobs per plane: plane ξ = job / groups, its rows [g·4·quadsPerGroup, …) for g = job % groups. */
  groups: 14,
  quadsPerGroup: 15,
  size: 16,
} as const;

/**
 * `wino_gemm_rows` / `wino_gemm_quads` (tile, args, thread): one group of 4-row blocks of one
 * plane. Register tile 4 rows × 8 columns (8 f32x4 accumulators) over a chunk of k: per step
 * two vector loads of B and one splat per row (unrolled by two, the k loop measured 30 % slower,
 * most likely from register pressure: the tile uses 12 of the 15 vector registers). Unlike the
 * direct conv kernel's 4-pixel groups, no output pixel needs locating (no divisions per group),
 * and both operands are read front to back. Rows past m (rows layout) read the last row and are not stored;
 * columns past n are stored only for whole 4-lane halves (n is a multiple of 4).
 */
export function winoGemmFunction(layout: 'rows' | 'quads'): FunctionBuilder {
  const A = WINO_GEMM_ARGS;
  const f = new FunctionBuilder(`wino_gemm_${layout}`, [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const aPlane = L();
  const aStride = L();
  const bPanel = L();
  const cPlane = L();
  const cRow = L();
  const m = L();
  const n = L();
  const k = L();
  const kChunk = L();
  const plane = L();
  const q0 = L();
  const q1 = L();
  const k0 = L();
  const kn = L();
  const nb = L();
  const q = L();
  const pb = L();
  const cc = L();
  const steps = L();
  const r = L();
  const lanes = L();
  const pa = [L(), L(), L(), L()];
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const av = f.local(V128);
  const aK = layout === 'rows' ? 4 : 16;

  f.loadArg(args, A.aStride, aStride);
  f.loadArg(args, A.bPanel, bPanel);
  f.loadArg(args, A.cRow, cRow);
  f.loadArg(args, A.m, m);
  f.loadArg(args, A.n, n);
  f.loadArg(args, A.k, k);
  f.loadArg(args, A.kChunk, kChunk);
  // plane = tile / groups; quads [q0, q1) of it.
  f.get(tile)
    .get(args)
    .i32Load(A.groups * 4)
    .divU()
    .set(plane);
  f.get(tile)
    .get(args)
    .i32Load(A.groups * 4)
    .remU()
    .get(args)
    .i32Load(A.quadsPerGroup * 4)
    .mul()
    .tee(q0)
    .get(args)
    .i32Load(A.quadsPerGroup * 4)
    .add()
    .set(q1);
  f.get(m).i32(3).add().i32(4).divU().set(r);
  f.get(q1).get(r).gtU().if().get(r).set(q1).end();
  f.get(args)
    .i32Load(A.a * 4)
    .get(plane)
    .get(args)
    .i32Load(A.aPlane * 4)
    .mul()
    .add()
    .set(aPlane);
  f.get(args)
    .i32Load(A.c * 4)
    .get(plane)
    .get(args)
    .i32Load(A.cPlane * 4)
    .mul()
    .add()
    .set(cPlane);

  // One step of the k loop, `s` steps past the pointers (reads at immediate offsets).
  const step = (s: number) => {
    f.get(pb)
      .v128Load(32 * s)
      .set(b0);
    f.get(pb)
      .v128Load(32 * s + 16)
      .set(b1);
    for (let j = 0; j < 4; j++) {
      if (layout === 'rows') f.get(pa[j]!).v128Load32Splat(aK * s);
      else f.get(pa[0]!).v128Load32Splat(aK * s + 4 * j);
      f.set(av);
      f.get(acc[2 * j]!)
        .get(av)
        .get(b0)
        .f32x4Mul()
        .f32x4Add()
        .set(acc[2 * j]!);
      f.get(acc[2 * j + 1]!)
        .get(av)
        .get(b1)
        .f32x4Mul()
        .f32x4Add()
        .set(acc[2 * j + 1]!);
    }
  };
  const advance = (steps: number) => {
    f.inc(pb, 32 * steps);
    if (layout === 'rows') for (const p of pa) f.inc(p, aK * steps);
    else f.inc(pa[0]!, aK * steps);
  };
  // cc = address of C row (4q + j) clamped to m − 1, column block nb (rows layout may clamp).
  const cRowAddress = (j: number) => {
    f.get(q).i32(4).mul().i32(j).add().tee(r).get(m).geU().if().get(m).i32(1).sub().set(r).end();
    f.get(cPlane).get(r).get(cRow).mul().add().get(nb).i32(32).mul().add().set(cc);
  };

  f.i32(0).set(k0);
  f.block().loop(); // chunks of k
  f.get(k0).get(k).geU().brIf(1);
  f.get(k).get(k0).sub().set(kn);
  f.get(kn).get(kChunk).gtU().if().get(kChunk).set(kn).end();
  f.i32(0).set(nb);
  f.block().loop(); // panels of 8 columns
  f.get(nb).i32(8).mul().get(n).geU().brIf(1);
  // Lanes to store in this panel: 8, or 4 for a last half panel.
  f.get(n).get(nb).i32(8).mul().sub().set(lanes);
  f.get(q0).set(q);
  f.block().loop(); // blocks of 4 rows
  f.get(q).get(q1).geU().brIf(1);
  // Load (accumulate, or a later chunk) or zero the accumulators.
  f.get(args)
    .i32Load(A.accumulate * 4)
    .get(k0)
    .or()
    .if();
  for (let j = 0; j < 4; j++) {
    cRowAddress(j);
    f.get(cc)
      .v128Load(0)
      .set(acc[2 * j]!);
    f.get(lanes)
      .i32(8)
      .ltU()
      .if()
      .v128Zero()
      .set(acc[2 * j + 1]!)
      .else();
    f.get(cc)
      .v128Load(16)
      .set(acc[2 * j + 1]!);
    f.end();
  }
  f.else();
  for (const v of acc) f.v128Zero().set(v);
  f.end();
  // Operand pointers at step k0.
  f.get(args)
    .i32Load(A.b * 4)
    .get(plane)
    .get(args)
    .i32Load(A.bPlane * 4)
    .mul()
    .add()
    .get(nb)
    .get(bPanel)
    .mul()
    .add()
    .get(k0)
    .i32(32)
    .mul()
    .add()
    .set(pb);
  if (layout === 'rows') {
    for (let j = 0; j < 4; j++) {
      f.get(q).i32(4).mul().i32(j).add().tee(r).get(m).geU().if().get(m).i32(1).sub().set(r).end();
      f.get(aPlane).get(r).get(aStride).mul().add().get(k0).i32(aK).mul().add().set(pa[j]!);
    }
  } else {
    f.get(aPlane).get(q).get(aStride).mul().add().get(k0).i32(aK).mul().add().set(pa[0]!);
  }
  f.get(kn).set(steps);
  f.loop();
  step(0);
  advance(1);
  f.get(steps).i32(1).sub().tee(steps).brIf(0);
  f.end();
  // Store the valid rows.
  for (let j = 0; j < 4; j++) {
    f.get(q).i32(4).mul().i32(j).add().get(m).ltU().if();
    cRowAddress(j);
    f.get(cc)
      .get(acc[2 * j]!)
      .v128Store(0);
    f.get(lanes).i32(8).geU().if();
    f.get(cc)
      .get(acc[2 * j + 1]!)
      .v128Store(16);
    f.end();
    f.end();
  }
  f.inc(q, 1).br(0);
  f.end().end();
  f.inc(nb, 1).br(0);
  f.end().end();
  f.get(k0).get(kn).add().set(k0);
  f.br(0);
  f.end().end();
  return f;
}
