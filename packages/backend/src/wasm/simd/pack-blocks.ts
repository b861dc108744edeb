import { FunctionBuilder, I32 } from './wasm-builder';

/**
 * Argument block of `pack_blocks` (i32 slots; addresses in bytes).
 *
 * Source: images [n, h, w, c] (channels contiguous). Target: for each block of `block` (4 or 8)
 * channels a panel [n, hp, wp, block] with the image at (top, left) of each padded image;
 * panels are `panelBytes` apart. The target must be zero-filled beforehand: borders and the
 * channels past c in the last block stay zero.
 */
export const PACK_BLOCKS_ARGS = {
  src: 0,
  n: 1,
  h: 2,
  w: 3,
  c: 4,
  /** Channels per block: 4 or 8. */
  block: 5,
  dst: 6,
  hp: 7,
  wp: 8,
  top: 9,
  left: 10,
  panelBytes: 11,
  size: 12,
} as const;

/**
 * `pack_blocks(tile, args, thread)`: tile t packs image row t % (n·h) of channel block
 * t / (n·h). The SIMD kernels then read each block as one contiguous stream (16 or 32 bytes per
 * pixel) instead of a few floats out of every pixel's full channel run, which for wide layers
 * touched a new page every step.
 */
export function packBlocksFunction(): FunctionBuilder {
  const A = PACK_BLOCKS_ARGS;
  const f = new FunctionBuilder('pack_blocks', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const rowsTotal = L();
  const b = L();
  const row = L();
  const h = L();
  const w = L();
  const c = L();
  const block = L();
  const width = L();
  const src = L();
  const dst = L();
  const i = L();
  const k = L();
  const srcPixel = L();
  f.loadArg(args, A.h, h);
  f.loadArg(args, A.w, w);
  f.loadArg(args, A.c, c);
  f.loadArg(args, A.block, block);
  f.get(args)
    .i32Load(A.n * 4)
    .get(h)
    .mul()
    .set(rowsTotal);
  f.get(tile).get(rowsTotal).divU().set(b);
  f.get(tile).get(rowsTotal).remU().set(row);
  // Channels of this block present in the source: min(block, c − b·block).
  f.get(c).get(b).get(block).mul().sub().set(width);
  f.get(width).get(block).gtU().if().get(block).set(width).end();
  // src = src + (row·w·c + b·block)·4
  f.get(args)
    .i32Load(A.src * 4)
    .get(row)
    .get(w)
    .mul()
    .get(c)
    .mul()
    .get(b)
    .get(block)
    .mul()
    .add();
  f.i32(4).mul().add().set(src);
  // dst = dst + b·panel + ((n·hp + top + row % h)·wp + left)·block·4, n = row / h
  f.get(args)
    .i32Load(A.dst * 4)
    .get(b)
    .get(args)
    .i32Load(A.panelBytes * 4)
    .mul()
    .add();
  f.get(row)
    .get(h)
    .divU()
    .get(args)
    .i32Load(A.hp * 4)
    .mul();
  f.get(args)
    .i32Load(A.top * 4)
    .add()
    .get(row)
    .get(h)
    .remU()
    .add();
  f.get(args)
    .i32Load(A.wp * 4)
    .mul()
    .get(args)
    .i32Load(A.left * 4)
    .add();
  f.get(block).mul().i32(4).mul().add().set(dst);
  f.get(c).i32(4).mul().set(srcPixel);
  f.i32(0).set(i);
  f.get(width).get(block).eq().if();
  // Whole blocks: one or two vectors per pixel.
  f.block().loop();
  f.get(i).get(w).geU().brIf(1);
  f.get(dst).get(src).v128Load(0).v128Store(0);
  f.get(block).i32(8).eq().if().get(dst).get(src).v128Load(16).v128Store(16).end();
  f.incBy(src, srcPixel);
  f.get(dst).get(block).i32(4).mul().add().set(dst);
  f.inc(i, 1).br(0);
  f.end().end();
  f.else();
  // The last, partial block: float by float.
  f.block().loop();
  f.get(i).get(w).geU().brIf(1);
  f.i32(0).set(k);
  f.block().loop();
  f.get(k).get(width).geU().brIf(1);
  f.get(dst).get(k).i32(4).mul().add().get(src).get(k).i32(4).mul().add().f32Load(0).f32Store(0);
  f.inc(k, 1).br(0);
  f.end().end();
  f.incBy(src, srcPixel);
  f.get(dst).get(block).i32(4).mul().add().set(dst);
  f.inc(i, 1).br(0);
  f.end().end();
  f.end();
  return f;
}
