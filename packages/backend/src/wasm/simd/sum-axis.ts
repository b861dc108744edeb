import { F32, FunctionBuilder, I32, V128 } from './wasm-builder';

/** Argument block of `sum_axis` (i32 slots; addresses in bytes; `scale` is f32 bits). */
export const SUM_AXIS_ARGS = {
  x: 0,
  y: 1,
  /** x viewed as [outer, reduce, inner]; y is [outer, inner]. */
  reduce: 2,
  inner: 3,
  /** Columns of `inner` per tile (a multiple of 4, or all of them). */
  columns: 4,
  /** Tiles per outer index: ceil(inner / columns). */
  tilesPerOuter: 5,
  /** Multiplier applied to each sum (1 for Sum, 1/reduce for Mean), as f32 bits. */
  scale: 6,
  size: 7,
} as const;

/**
 * `sum_axis(tile, args, thread)`: y[o, i] = scale · Σ_r x[o, r, i] for one outer index o and one
 * range of columns i: the reduction over a middle run of axes (H and W of an NHWC tensor for
 * instance norm's means; every axis but the channels for a bias gradient) without moving the
 * reduced axes innermost first, as tfjs' Sum and Mean do (a transpose of the whole tensor).
 * Sixteen columns per pass over the reduced rows (one cache line of each row), then four, then
 * the remaining 1–3 one by one.
 */
export function sumAxisFunction(): FunctionBuilder {
  const A = SUM_AXIS_ARGS;
  const f = new FunctionBuilder('sum_axis', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const reduce = L();
  const inner = L();
  const outer = L();
  const col = L();
  const colEnd = L();
  const src = L();
  const dst = L();
  const p = L();
  const r = L();
  const stride = L();
  const acc = f.local(V128);
  const scale = f.local(V128);
  const s = f.local(F32);
  const wide = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.get(args)
    .i32Load(A.reduce * 4)
    .set(reduce);
  f.get(args)
    .i32Load(A.inner * 4)
    .set(inner);
  f.get(inner).i32(4).mul().set(stride);
  f.get(args)
    .f32Load(A.scale * 4)
    .f32x4Splat()
    .set(scale);
  f.get(tile)
    .get(args)
    .i32Load(A.tilesPerOuter * 4)
    .divU()
    .set(outer);
  f.get(tile)
    .get(args)
    .i32Load(A.tilesPerOuter * 4)
    .remU()
    .get(args)
    .i32Load(A.columns * 4)
    .mul();
  f.tee(col)
    .get(args)
    .i32Load(A.columns * 4)
    .add()
    .set(colEnd);
  f.get(colEnd).get(inner).gtU().if().get(inner).set(colEnd).end();
  // src = x + (outer·reduce·inner + col)·4, dst = y + (outer·inner + col)·4
  f.get(args)
    .i32Load(A.x * 4)
    .get(outer)
    .get(reduce)
    .mul()
    .get(inner)
    .mul()
    .get(col)
    .add();
  f.i32(4).mul().add().set(src);
  f.get(args)
    .i32Load(A.y * 4)
    .get(outer)
    .get(inner)
    .mul()
    .get(col)
    .add()
    .i32(4)
    .mul()
    .add();
  f.set(dst);
  // Sixteen columns at a time.
  f.block().loop();
  f.get(col).i32(16).add().get(colEnd).gtU().brIf(1);
  for (const v of wide) f.v128Zero().set(v);
  f.get(src).set(p).get(reduce).set(r);
  f.loop();
  wide.forEach((v, i) => {
    f.get(v)
      .get(p)
      .v128Load(16 * i)
      .f32x4Add()
      .set(v);
  });
  f.incBy(p, stride);
  f.get(r).i32(1).sub().tee(r).brIf(0);
  f.end();
  wide.forEach((v, i) => {
    f.get(dst)
      .get(v)
      .get(scale)
      .f32x4Mul()
      .v128Store(16 * i);
  });
  f.inc(src, 64).inc(dst, 64).inc(col, 16).br(0);
  f.end().end();
  // Four columns at a time.
  f.block().loop();
  f.get(col).i32(4).add().get(colEnd).gtU().brIf(1);
  f.v128Zero().set(acc).get(src).set(p).get(reduce).set(r);
  f.loop();
  f.get(acc).get(p).v128Load(0).f32x4Add().set(acc);
  f.incBy(p, stride);
  f.get(r).i32(1).sub().tee(r).brIf(0);
  f.end();
  f.get(dst).get(acc).get(scale).f32x4Mul().v128Store(0);
  f.inc(src, 16).inc(dst, 16).inc(col, 4).br(0);
  f.end().end();
  // The last columns one at a time.
  f.block().loop();
  f.get(col).get(colEnd).geU().brIf(1);
  f.f32(0).set(s).get(src).set(p).get(reduce).set(r);
  f.loop();
  f.get(s).get(p).f32Load(0).f32Add().set(s);
  f.incBy(p, stride);
  f.get(r).i32(1).sub().tee(r).brIf(0);
  f.end();
  f.get(dst).get(s).get(scale).f32x4ExtractLane(0).f32Mul().f32Store(0);
  f.inc(src, 4).inc(dst, 4).inc(col, 1).br(0);
  f.end().end();
  return f;
}
