import { chunkIndexRange } from './run-loops';
import { FunctionBuilder, I32, V128 } from './wasm-builder';

/**
 * Instance norm + modulation as SIMD kernels (`(tile, args, thread)`, f32 values as bits): the
 * per-channel moments, the affine map, and the gradient's sums and dx / dγ. C a multiple of 4.
 */

/**
 * `channel_moments`: for image b and channels [4g, 4g + 4) of x [N, HW, C] (C a multiple of 4),
 * tile = b·C/4 + g: mean[b, c] = Σx/HW and m2[b, c] = Σ(x − mean)² (two passes, f32 sums).
 */
export const CHANNEL_MOMENTS_ARGS = {
  x: 0,
  mean: 1,
  m2: 2,
  hw: 3,
  c: 4,
  invHw: 5,
  size: 6,
} as const;

export function channelMomentsFunction(): FunctionBuilder {
  const A = CHANNEL_MOMENTS_ARGS;
  const f = new FunctionBuilder('channel_moments', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const [hw, c, base, p, r, stride, out] = [L(), L(), L(), L(), L(), L(), L()];
  const acc = f.local(V128);
  const mean = f.local(V128);
  const d = f.local(V128);
  f.loadArg(args, A.hw, hw).loadArg(args, A.c, c);
  f.get(c).i32(4).mul().set(stride);
  // Image b = tile / (C/4), group g = tile % (C/4): base = x + (b·HW·C + 4g)·4, out = (b·C + 4g)·4.
  f.get(tile).get(c).i32(4).divU().divU().get(c).mul(); // b·C
  f.get(tile).get(c).i32(4).divU().remU().i32(4).mul().add().i32(4).mul().set(out); // (b·C + 4g)·4
  f.get(args).i32Load(A.x * 4);
  f.get(tile).get(c).i32(4).divU().divU().get(hw).get(c).mul().mul(); // b·HW·C
  f.get(tile).get(c).i32(4).divU().remU().i32(4).mul().add().i32(4).mul().add().set(base);
  const pass = (body: () => void) => {
    f.v128Zero().set(acc).get(base).set(p).get(hw).set(r);
    f.loop();
    body();
    f.incBy(p, stride);
    f.get(r).i32(1).sub().tee(r).brIf(0);
    f.end();
  };
  pass(() => f.get(acc).get(p).v128Load(0).f32x4Add().set(acc));
  f.get(acc)
    .get(args)
    .f32Load(A.invHw * 4)
    .f32x4Splat()
    .f32x4Mul()
    .set(mean);
  pass(() => {
    f.get(p).v128Load(0).get(mean).f32x4Sub().set(d);
    f.get(acc).get(d).get(d).f32x4Mul().f32x4Add().set(acc);
  });
  f.get(args)
    .i32Load(A.mean * 4)
    .get(out)
    .add()
    .get(mean)
    .v128Store(0);
  f.get(args)
    .i32Load(A.m2 * 4)
    .get(out)
    .add()
    .get(acc)
    .v128Store(0);
  return f;
}

/**
 * `channel_affine`: y = x·scale[b, c] + shift[b, c] for x [N, HW, C] (C a multiple of 4), and
 * when `spatial` is 1 then y ← y + y·γ + β with γ, β shaped like x. Tile = pixels
 * [tile·chunk, …) of N·HW.
 */
export const CHANNEL_AFFINE_ARGS = {
  x: 0,
  y: 1,
  scale: 2,
  shift: 3,
  gamma: 4,
  beta: 5,
  pixels: 6,
  hw: 7,
  c: 8,
  chunk: 9,
  spatial: 10,
  size: 11,
} as const;

export function channelAffineFunction(): FunctionBuilder {
  const A = CHANNEL_AFFINE_ARGS;
  const f = new FunctionBuilder('channel_affine', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const [hw, c, p, pEnd, row, k, sp, at] = [L(), L(), L(), L(), L(), L(), L(), L()];
  const v = f.local(V128);
  f.loadArg(args, A.hw, hw).loadArg(args, A.c, c);
  f.get(c).i32(4).mul().set(row);
  chunkIndexRange(f, args, tile, p, pEnd, { count: A.pixels, chunk: A.chunk });
  const loops = (spatial: boolean) => {
    f.block().loop(); // pixels
    f.get(p).get(pEnd).geU().brIf(1);
    // sp = (p / HW)·C·4: the image's scale/shift row; at = p·C·4: the pixel's values.
    f.get(p).get(hw).divU().get(row).mul().set(sp);
    f.get(p).get(row).mul().set(at);
    f.i32(0).set(k);
    f.loop(); // channels, 4 at a time (C ≥ 4)
    f.get(args)
      .i32Load(A.x * 4)
      .get(at)
      .add()
      .get(k)
      .add()
      .v128Load(0);
    f.get(args)
      .i32Load(A.scale * 4)
      .get(sp)
      .add()
      .get(k)
      .add()
      .v128Load(0)
      .f32x4Mul();
    f.get(args)
      .i32Load(A.shift * 4)
      .get(sp)
      .add()
      .get(k)
      .add()
      .v128Load(0)
      .f32x4Add();
    if (spatial) {
      f.tee(v).get(v);
      f.get(args)
        .i32Load(A.gamma * 4)
        .get(at)
        .add()
        .get(k)
        .add()
        .v128Load(0)
        .f32x4Mul()
        .f32x4Add();
      f.get(args)
        .i32Load(A.beta * 4)
        .get(at)
        .add()
        .get(k)
        .add()
        .v128Load(0)
        .f32x4Add();
    }
    f.set(v);
    f.get(args)
      .i32Load(A.y * 4)
      .get(at)
      .add()
      .get(k)
      .add()
      .get(v)
      .v128Store(0);
    f.inc(k, 16).get(k).get(row).ltU().brIf(0);
    f.end();
    f.inc(p, 1).br(0);
    f.end().end();
  };
  f.get(args)
    .i32Load(A.spatial * 4)
    .if();
  loops(true);
  f.else();
  loops(false);
  f.end();
  return f;
}

/**
 * `in_grad_sums`: for image b and channels [4g, 4g + 4) (tile = b·C/4 + g) of x, dy [N, HW, C]
 * (C a multiple of 4), with x̂ = x·inv[b, c] + shift[b, c]: Σdy, Σdy·x̂ and, when `spatial` is 1,
 * Σdy·γ, Σdy·γ·x̂ (γ shaped like x), written to out + k·N·C (k = 0…3) at [b, c].
 */
export const IN_GRAD_SUMS_ARGS = {
  x: 0,
  dy: 1,
  gamma: 2,
  inv: 3,
  shift: 4,
  out: 5,
  n: 6,
  hw: 7,
  c: 8,
  spatial: 9,
  size: 10,
} as const;

export function inGradSumsFunction(): FunctionBuilder {
  const A = IN_GRAD_SUMS_ARGS;
  const f = new FunctionBuilder('in_grad_sums', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const [hw, c, at, p, r, stride, out, plane] = [L(), L(), L(), L(), L(), L(), L(), L()];
  const acc = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const [inv, sh, d, xh, dg] = [
    f.local(V128),
    f.local(V128),
    f.local(V128),
    f.local(V128),
    f.local(V128),
  ];
  f.loadArg(args, A.hw, hw).loadArg(args, A.c, c);
  f.get(c).i32(4).mul().set(stride);
  f.get(args)
    .i32Load(A.n * 4)
    .get(c)
    .mul()
    .i32(4)
    .mul()
    .set(plane);
  // out = (b·C + 4g)·4 (the [b, c] offset), at = (b·HW·C + 4g)·4 (the first pixel's channels).
  f.get(tile).get(c).i32(4).divU().divU().get(c).mul();
  f.get(tile).get(c).i32(4).divU().remU().i32(4).mul().add().i32(4).mul().set(out);
  f.get(tile).get(c).i32(4).divU().divU().get(hw).get(c).mul().mul();
  f.get(tile).get(c).i32(4).divU().remU().i32(4).mul().add().i32(4).mul().set(at);
  f.get(args)
    .i32Load(A.inv * 4)
    .get(out)
    .add()
    .v128Load(0)
    .set(inv);
  f.get(args)
    .i32Load(A.shift * 4)
    .get(out)
    .add()
    .v128Load(0)
    .set(sh);
  for (const v of acc) f.v128Zero().set(v);
  const loop = (spatial: boolean) => {
    f.i32(0).set(p).get(hw).set(r);
    f.loop();
    f.get(args)
      .i32Load(A.dy * 4)
      .get(at)
      .add()
      .get(p)
      .add()
      .v128Load(0)
      .set(d);
    f.get(args)
      .i32Load(A.x * 4)
      .get(at)
      .add()
      .get(p)
      .add()
      .v128Load(0)
      .get(inv)
      .f32x4Mul();
    f.get(sh).f32x4Add().set(xh);
    f.get(acc[0]!).get(d).f32x4Add().set(acc[0]!);
    f.get(acc[1]!).get(d).get(xh).f32x4Mul().f32x4Add().set(acc[1]!);
    if (spatial) {
      f.get(d);
      f.get(args)
        .i32Load(A.gamma * 4)
        .get(at)
        .add()
        .get(p)
        .add()
        .v128Load(0)
        .f32x4Mul()
        .set(dg);
      f.get(acc[2]!).get(dg).f32x4Add().set(acc[2]!);
      f.get(acc[3]!).get(dg).get(xh).f32x4Mul().f32x4Add().set(acc[3]!);
    }
    f.incBy(p, stride);
    f.get(r).i32(1).sub().tee(r).brIf(0);
    f.end();
  };
  f.get(args)
    .i32Load(A.spatial * 4)
    .if();
  loop(true);
  f.else();
  loop(false);
  f.end();
  acc.forEach((v, k) => {
    f.get(args)
      .i32Load(A.out * 4)
      .get(out)
      .add()
      .get(plane)
      .i32(k)
      .mul()
      .add()
      .get(v)
      .v128Store(0);
  });
  return f;
}

/**
 * `in_grad_x`: for x, dy [N, HW, C] (C a multiple of 4) and per-(b, c) coefficients a, b, c0:
 * y = dy·a + x·b + c0, and when `spatial` is 1, y += dy·γ·a (γ shaped like x). With `gammaOnly`
 * 1 instead y = dy·(x·b + c0) (the spatial γ gradient dy·x̂, x̂ = x·inv + shift). Tile = pixels
 * [tile·chunk, …) of N·HW.
 */
export const IN_GRAD_X_ARGS = {
  x: 0,
  dy: 1,
  gamma: 2,
  a: 3,
  b: 4,
  c0: 5,
  y: 6,
  pixels: 7,
  hw: 8,
  c: 9,
  chunk: 10,
  spatial: 11,
  gammaOnly: 12,
  size: 13,
} as const;

export function inGradXFunction(): FunctionBuilder {
  const A = IN_GRAD_X_ARGS;
  const f = new FunctionBuilder('in_grad_x', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const [hw, c, p, pEnd, row, k, cp, at] = [L(), L(), L(), L(), L(), L(), L(), L()];
  const d = f.local(V128);
  const coef = f.local(V128);
  f.loadArg(args, A.hw, hw).loadArg(args, A.c, c);
  f.get(c).i32(4).mul().set(row);
  chunkIndexRange(f, args, tile, p, pEnd, { count: A.pixels, chunk: A.chunk });
  const load = (slot: number, offset: number) =>
    f
      .get(args)
      .i32Load(slot * 4)
      .get(offset)
      .add()
      .get(k)
      .add()
      .v128Load(0);
  const loops = (mode: 'plain' | 'spatial' | 'gamma') => {
    f.block().loop(); // pixels
    f.get(p).get(pEnd).geU().brIf(1);
    f.get(p).get(hw).divU().get(row).mul().set(cp);
    f.get(p).get(row).mul().set(at);
    f.i32(0).set(k);
    f.loop(); // channels, 4 at a time
    f.get(args)
      .i32Load(A.y * 4)
      .get(at)
      .add()
      .get(k)
      .add(); // store address
    load(A.dy, at).set(d);
    if (mode === 'gamma') {
      f.get(d);
      load(A.x, at);
      load(A.b, cp).f32x4Mul();
      load(A.c0, cp).f32x4Add().f32x4Mul();
    } else {
      load(A.a, cp).set(coef);
      f.get(d).get(coef).f32x4Mul();
      load(A.x, at);
      load(A.b, cp).f32x4Mul().f32x4Add();
      load(A.c0, cp).f32x4Add();
      if (mode === 'spatial') {
        f.get(d);
        load(A.gamma, at).f32x4Mul().get(coef).f32x4Mul().f32x4Add();
      }
    }
    f.v128Store(0);
    f.inc(k, 16).get(k).get(row).ltU().brIf(0);
    f.end();
    f.inc(p, 1).br(0);
    f.end().end();
  };
  f.get(args)
    .i32Load(A.gammaOnly * 4)
    .if();
  loops('gamma');
  f.else();
  f.get(args)
    .i32Load(A.spatial * 4)
    .if();
  loops('spatial');
  f.else();
  loops('plain');
  f.end();
  f.end();
  return f;
}
