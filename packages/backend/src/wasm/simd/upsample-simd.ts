import { vectorThenScalar } from './run-loops';
import { F32, FunctionBuilder, I32, V128 } from './wasm-builder';

/**
 * `upsample_axis` (2× bilinear, half-pixel centres, edges repeated) for x [outer, n, inner] →
 * y [outer, 2n, inner], tile = outer index: y[2i] = x[i] + ¼(x[i−1] − x[i]),
 * y[2i+1] = x[i] + ¼(x[i+1] − x[i]), neighbours clamped. `upsample_axis_adjoint`, its
 * transpose, takes g [outer, 2n, inner] to x's shape: dx[i] = ¾(g[2i] + g[2i+1]) + ¼(g[a] + g[b]),
 * a = 2i − 1 (0 at i = 0), b = 2i + 2 (2n − 1 at i = n − 1).
 */
export const UPSAMPLE_AXIS_ARGS = { x: 0, y: 1, n: 2, inner: 3, size: 4 } as const;

export function upsampleAxisFunction(adjoint: boolean): FunctionBuilder {
  const A = UPSAMPLE_AXIS_ARGS;
  const f = new FunctionBuilder(adjoint ? 'upsample_axis_adjoint' : 'upsample_axis', [
    I32,
    I32,
    I32,
  ]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const [n, run, i, src, prev, next, even, odd, k, vecEnd, srcBase, dstBase] = [
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
    L(),
  ];
  const q = f.local(V128);
  const h = f.local(V128);
  const v = f.local(V128);
  const s = f.local(F32);
  f.loadArg(args, A.n, n);
  f.get(args)
    .i32Load(A.inner * 4)
    .i32(4)
    .mul()
    .set(run);
  f.f32(0.25).f32x4Splat().set(q);
  f.f32(0.75).f32x4Splat().set(h);
  // Rows of the short side (n per tile) and of the long side (2n per tile).
  const short = adjoint ? A.y : A.x;
  const long = adjoint ? A.x : A.y;
  f.get(args)
    .i32Load(short * 4)
    .get(tile)
    .get(n)
    .mul()
    .get(run)
    .mul()
    .add()
    .set(srcBase);
  f.get(args)
    .i32Load(long * 4)
    .get(tile)
    .get(n)
    .i32(2)
    .mul()
    .mul()
    .get(run)
    .mul()
    .add()
    .set(dstBase);
  const rowAt = (base: number, index: () => void, target: number) => {
    index();
    f.get(run).mul().get(base).add().set(target);
  };
  f.i32(0).set(i);
  f.loop(); // i over the short side (n ≥ 1)
  rowAt(srcBase, () => f.get(i), src);
  rowAt(dstBase, () => f.get(i).i32(2).mul(), even);
  f.get(even).get(run).add().set(odd);
  if (!adjoint) {
    rowAt(srcBase, () => f.get(i).i32(1).sub().i32(0).get(i).select(), prev);
    const nextIndex = () =>
      f.get(i).i32(1).add().get(n).i32(1).sub().get(i).i32(1).add().get(n).ltU().select();
    rowAt(srcBase, nextIndex, next);
  } else {
    rowAt(dstBase, () => f.get(i).i32(2).mul().i32(1).sub().i32(0).get(i).select(), prev);
    const after = () =>
      f
        .get(i)
        .i32(2)
        .mul()
        .i32(2)
        .add()
        .get(n)
        .i32(2)
        .mul()
        .i32(1)
        .sub()
        .get(i)
        .i32(1)
        .add()
        .get(n)
        .ltU()
        .select();
    rowAt(dstBase, after, next);
  }
  f.i32(0).set(k);
  const end = run;
  if (!adjoint) {
    vectorThenScalar(
      f,
      k,
      end,
      vecEnd,
      () => {
        f.get(src).get(k).add().v128Load(0).set(v);
        f.get(even)
          .get(k)
          .add()
          .get(v)
          .get(prev)
          .get(k)
          .add()
          .v128Load(0)
          .get(v)
          .f32x4Sub()
          .get(q)
          .f32x4Mul()
          .f32x4Add()
          .v128Store(0);
        f.get(odd)
          .get(k)
          .add()
          .get(v)
          .get(next)
          .get(k)
          .add()
          .v128Load(0)
          .get(v)
          .f32x4Sub()
          .get(q)
          .f32x4Mul()
          .f32x4Add()
          .v128Store(0);
      },
      () => {
        f.get(src).get(k).add().f32Load(0).set(s);
        f.get(even)
          .get(k)
          .add()
          .get(s)
          .get(prev)
          .get(k)
          .add()
          .f32Load(0)
          .get(s)
          .f32Sub()
          .f32(0.25)
          .f32Mul()
          .f32Add()
          .f32Store(0);
        f.get(odd)
          .get(k)
          .add()
          .get(s)
          .get(next)
          .get(k)
          .add()
          .f32Load(0)
          .get(s)
          .f32Sub()
          .f32(0.25)
          .f32Mul()
          .f32Add()
          .f32Store(0);
      },
    );
  } else {
    vectorThenScalar(
      f,
      k,
      end,
      vecEnd,
      () => {
        f.get(src).get(k).add();
        f.get(even)
          .get(k)
          .add()
          .v128Load(0)
          .get(odd)
          .get(k)
          .add()
          .v128Load(0)
          .f32x4Add()
          .get(h)
          .f32x4Mul();
        f.get(prev)
          .get(k)
          .add()
          .v128Load(0)
          .get(next)
          .get(k)
          .add()
          .v128Load(0)
          .f32x4Add()
          .get(q)
          .f32x4Mul();
        f.f32x4Add().v128Store(0);
      },
      () => {
        f.get(src).get(k).add();
        f.get(even)
          .get(k)
          .add()
          .f32Load(0)
          .get(odd)
          .get(k)
          .add()
          .f32Load(0)
          .f32Add()
          .f32(0.75)
          .f32Mul();
        f.get(prev)
          .get(k)
          .add()
          .f32Load(0)
          .get(next)
          .get(k)
          .add()
          .f32Load(0)
          .f32Add()
          .f32(0.25)
          .f32Mul();
        f.f32Add().f32Store(0);
      },
    );
  }
  f.inc(i, 1).get(i).get(n).ltU().brIf(0);
  f.end();
  return f;
}
