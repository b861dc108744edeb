import { tileStep } from './tile-step';
import { FunctionBuilder, I32, V128 } from './wasm-builder';

/**
 * Argument block of `conv_filter_grad` (i32 slots; addresses and strides in bytes).
 *
 * Both operands are packed by `pack_blocks`: x zero-padded in panels of 4 input channels
 * ([ciBlocks][N][Hp][Wp][4], `xPanelBytes` apart), dy in panels of 8 output channels
 * ([coBlocks][N·OH·OW][8], `dyPanelBytes` apart). Each thread accumulates into its own partial
 * filter gradient (`partial + thread·partialStride`), rows (tap, ci) with ciBlocks·4 rows per
 * tap and `pRow` bytes per row: the caller zeroes them first and sums them after.
 */
export const CONV_FILTER_GRAD_ARGS = {
  x: 0,
  dy: 1,
  partial: 2,
  partialStride: 3,
  /** Output rows N·OH. */
  rows: 4,
  oh: 5,
  ow: 6,
  hp: 7,
  wp: 8,
  xPanelBytes: 9,
  dyPanelBytes: 10,
  kh: 11,
  kw: 12,
  ciBlocks: 13,
  coBlocks: 14,
  rowsPerTile: 15,
  /** Bytes per partial row (coBlocks·32). */
  pRow: 16,
  size: 17,
} as const;

/**
 * `conv_filter_grad(tile, args, thread)`: the filter gradient of a stride-1 NHWC convolution over
 * the output rows [tile·rowsPerTile, ...), added to this thread's partial sums:
 *
 *   dW[kh, kw, ci, co] += Σ_{pixels (n, oh, ow) of the rows} x_pad[n, oh+kh, ow+kw, ci] · dy[n, oh, ow, co]
 *
 * One register tile is 4 input channels × 8 output channels (8 f32x4 accumulators) kept in
 * registers over all pixels of the rows: per pixel one splat per input channel and two vector
 * loads of dy, both read from their panels front to back. Input channels past Ci and output
 * channels past Co are zeros in the panels.
 */
export function convFilterGradFunction(): FunctionBuilder {
  const A = CONV_FILTER_GRAD_ARGS;
  const f = new FunctionBuilder('conv_filter_grad', [I32, I32, I32]);
  const [tile, args, thread] = [0, 1, 2];
  const L = () => f.local(I32);
  const x = L();
  const dy = L();
  const pbase = L();
  const rows = L();
  const oh = L();
  const ow = L();
  const hp = L();
  const wp = L();
  const xPanel = L();
  const dyPanel = L();
  const kw = L();
  const ciBlocks = L();
  const coBlocks = L();
  const pRow = L();
  const taps = L();
  const r0 = L();
  const r1 = L();
  const tap = L();
  const tapKh = L();
  const tapKw = L();
  const cib = L();
  const cb = L();
  const prow = L();
  const r = L();
  const px = L();
  const pdy = L();
  const c = L();
  const rowBytes = L();
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const a = f.local(V128);
  const regs = { acc, b0, b1, a };

  f.loadArg(args, A.x, x);
  f.loadArg(args, A.dy, dy);
  f.loadArg(args, A.rows, rows);
  f.loadArg(args, A.oh, oh);
  f.loadArg(args, A.ow, ow);
  f.loadArg(args, A.hp, hp);
  f.loadArg(args, A.wp, wp);
  f.loadArg(args, A.xPanelBytes, xPanel);
  f.loadArg(args, A.dyPanelBytes, dyPanel);
  f.loadArg(args, A.kw, kw);
  f.loadArg(args, A.ciBlocks, ciBlocks);
  f.loadArg(args, A.coBlocks, coBlocks);
  f.loadArg(args, A.pRow, pRow);
  f.get(args)
    .i32Load(A.partial * 4)
    .get(args)
    .i32Load(A.partialStride * 4)
    .get(thread)
    .mul();
  f.add().set(pbase);
  f.get(args)
    .i32Load(A.kh * 4)
    .get(kw)
    .mul()
    .set(taps);
  f.get(tile)
    .get(args)
    .i32Load(A.rowsPerTile * 4)
    .mul()
    .tee(r0);
  f.get(args)
    .i32Load(A.rowsPerTile * 4)
    .add()
    .set(r1);
  f.get(r1).get(rows).gtU().if().get(rows).set(r1).end();
  f.get(ow).i32(32).mul().set(rowBytes);

  f.i32(0).set(tap);
  f.loop(); // taps
  f.get(tap).get(kw).divU().set(tapKh);
  f.get(tap).get(kw).remU().set(tapKw);
  f.i32(0).set(cib);
  f.loop(); // blocks of 4 input channels
  f.i32(0).set(cb);
  f.loop(); // blocks of 8 output channels
  // prow = pbase + (tap·ciBlocks·4 + cib·4)·pRow + cb·32
  f.get(pbase).get(tap).get(ciBlocks).mul().get(cib).add().i32(4).mul().get(pRow).mul().add();
  f.get(cb).i32(32).mul().add().set(prow);
  for (let j = 0; j < 4; j++) {
    f.get(prow).get(pRow).i32(j).mul().add().set(c);
    f.get(c)
      .v128Load(0)
      .set(acc[2 * j]!);
    f.get(c)
      .v128Load(16)
      .set(acc[2 * j + 1]!);
  }
  f.get(r0).set(r);
  f.block().loop(); // output rows of the tile
  f.get(r).get(r1).geU().brIf(1);
  // px = x + cib·xPanel + ((n·Hp + oh_r + kh)·Wp + kw)·16, n = r / OH, oh_r = r % OH
  f.get(x).get(cib).get(xPanel).mul().add();
  f.get(r).get(oh).divU().get(hp).mul().get(r).get(oh).remU().add().get(tapKh).add();
  f.get(wp).mul().get(tapKw).add().i32(16).mul().add().set(px);
  f.get(dy).get(cb).get(dyPanel).mul().add().get(r).get(rowBytes).mul().add().set(pdy);
  f.get(ow).set(c);
  f.loop(); // pixels of the row (OW ≥ 1)
  tileStep(f, regs, pdy, (j) => f.get(px).v128Load32Splat(4 * j));
  f.inc(px, 16).inc(pdy, 32);
  f.get(c).i32(1).sub().tee(c).brIf(0);
  f.end();
  f.inc(r, 1).br(0);
  f.end().end();
  for (let j = 0; j < 4; j++) {
    f.get(prow).get(pRow).i32(j).mul().add().set(c);
    f.get(c)
      .get(acc[2 * j]!)
      .v128Store(0);
    f.get(c)
      .get(acc[2 * j + 1]!)
      .v128Store(16);
  }
  f.inc(cb, 1).get(cb).get(coBlocks).ltU().brIf(0);
  f.end();
  f.inc(cib, 1).get(cib).get(ciBlocks).ltU().brIf(0);
  f.end();
  f.inc(tap, 1).get(tap).get(taps).ltU().brIf(0);
  f.end();
  return f;
}
