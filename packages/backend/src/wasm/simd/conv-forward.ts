import { storeFirstLanes } from './store-lanes';
import { tileStep } from './tile-step';
import { FunctionBuilder, I32, V128 } from './wasm-builder';

/**
 * Argument block of `conv_forward` (i32 slots; addresses and strides in bytes).
 *
 * The input is already zero-padded ([N, Hp, Wp, Ci], channels contiguous), so every tap of
 * every output pixel reads memory inside it. The filter is packed in panels of 8 output channels
 * ([blocks][K][8], K = KH·KW·Ci in (kh, kw, ci) order, zero columns past Co), `panelBytes`
 * = K·32 apart (`pack_blocks`). Output pixel m = (n, oh, ow) in raster order reads padded pixel
 * (n, oh + kh, ow + kw) for tap (kh, kw): stride 1, dilation 1.
 */
export const CONV_FORWARD_ARGS = {
  x: 0,
  w: 1,
  y: 2,
  /** Output pixels N·OH·OW. */
  pixels: 3,
  /** Bytes from one padded input pixel to the next (Ci·4). */
  xPixel: 4,
  /** Bytes from one filter panel to the next (K·32). */
  panelBytes: 5,
  kh: 6,
  /** KW·Ci: the inputs of one row of taps, one contiguous run in the padded input. */
  tapRun: 7,
  hp: 8,
  wp: 9,
  oh: 10,
  ow: 11,
  /** Bytes from one output pixel to the next (Co·4). */
  yPixel: 12,
  /** Output channels Co. */
  co: 13,
  /** Groups of 4 output pixels per tile. */
  quadsPerTile: 14,
  /** Tiles along the output channels, and 8-channel blocks per such tile. */
  coTiles: 15,
  blocksPerCoTile: 16,
  /** Epilogue (when `epilogue` is 1): y = scale·(x ⊛ w) + bias, scale as f32 bits, bias padded
   * with zeros to whole 8-channel blocks. */
  scale: 17,
  bias: 18,
  epilogue: 19,
  size: 20,
} as const;

/**
 * `conv_forward(tile, args, thread)`: one tile of a stride-1 NHWC convolution, 4 output pixels ×
 * 8 output channels at a time with 8 f32x4 accumulators (the register tile). For each row of
 * taps kh the KW·Ci inputs a pixel needs are contiguous in the padded input, so the inner loop
 * is one run: per step one input value per pixel (splat) times 8 filter values (two vector loads
 * from the panel, which is read front to back). Pixels of a group may lie on different rows or
 * images (each has its own pointer), so tiles need not align with rows; the last group repeats
 * its last valid pixel and stores only the valid ones.
 *
 * Tile t covers output pixels [q0, q0 + 4·quadsPerTile) with q0 = (t / coTiles)·4·quadsPerTile,
 * and panels [(t % coTiles)·blocksPerCoTile, ...). Panels are the outer loop, so one panel
 * (≤ 150 KB for 512 input channels) stays in cache while all pixel groups of the tile use it.
 */
export function convForwardFunction(fixedCi?: number): FunctionBuilder {
  const A = CONV_FORWARD_ARGS;
  const name = fixedCi === undefined ? 'conv_forward' : `conv_forward_ci${fixedCi}`;
  const f = new FunctionBuilder(name, [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const x = L();
  const y = L();
  const pixels = L();
  const xPixel = L();
  const panelBytes = L();
  const kh = L();
  const tapRun = L();
  const hw = L();
  const wp = L();
  const ow = L();
  const yPixel = L();
  const co = L();
  const rowSkip = L();
  const hpWp = L();
  const q0 = L();
  const q = L();
  const qEnd = L();
  const cb = L();
  const cbEnd = L();
  const panel = L();
  const k = L();
  const t = L();
  const wa = L();
  const m = L();
  const n = L();
  const r = L();
  const rem = L();
  const base = [L(), L(), L(), L()];
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const b0 = f.local(V128);
  const b1 = f.local(V128);
  const a = f.local(V128);
  const sv = f.local(V128);
  const regs = { acc, b0, b1, a };

  f.loadArg(args, A.x, x);
  f.loadArg(args, A.y, y);
  f.loadArg(args, A.pixels, pixels);
  f.loadArg(args, A.xPixel, xPixel);
  f.loadArg(args, A.panelBytes, panelBytes);
  f.loadArg(args, A.kh, kh);
  f.loadArg(args, A.tapRun, tapRun);
  f.loadArg(args, A.wp, wp);
  f.loadArg(args, A.ow, ow);
  f.loadArg(args, A.yPixel, yPixel);
  f.loadArg(args, A.co, co);
  // hw = OH·OW; hpWp = Hp·Wp·xPixel (one padded image); rowSkip = Wp·xPixel − tapRun·4.
  f.get(args)
    .i32Load(A.oh * 4)
    .get(ow)
    .mul()
    .set(hw);
  f.get(args)
    .i32Load(A.hp * 4)
    .get(wp)
    .mul()
    .get(xPixel)
    .mul()
    .set(hpWp);
  f.get(wp).get(xPixel).mul().get(tapRun).i32(4).mul().sub().set(rowSkip);
  // Pixel range of this tile.
  f.get(tile)
    .get(args)
    .i32Load(A.coTiles * 4)
    .divU()
    .get(args)
    .i32Load(A.quadsPerTile * 4)
    .mul();
  f.i32(4)
    .mul()
    .tee(q0)
    .get(args)
    .i32Load(A.quadsPerTile * 4)
    .i32(4)
    .mul()
    .add()
    .set(qEnd);
  f.get(qEnd).get(pixels).gtU().if().get(pixels).set(qEnd).end();
  // Panel range of this tile.
  f.get(tile)
    .get(args)
    .i32Load(A.coTiles * 4)
    .remU()
    .get(args)
    .i32Load(A.blocksPerCoTile * 4);
  f.mul()
    .tee(cb)
    .get(args)
    .i32Load(A.blocksPerCoTile * 4)
    .add()
    .set(cbEnd);
  f.get(co).i32(7).add().i32(8).divU().set(t);
  f.get(cbEnd).get(t).gtU().if().get(t).set(cbEnd).end();

  f.block().loop(); // panels of 8 output channels
  f.get(cb).get(cbEnd).geU().brIf(1);
  f.get(args)
    .i32Load(A.w * 4)
    .get(cb)
    .get(panelBytes)
    .mul()
    .add()
    .set(panel);
  // Channels of this panel to store: Co − 8·cb (8 or more means all 8).
  f.get(co).get(cb).i32(8).mul().sub().set(rem);
  f.get(q0).set(q);
  f.block().loop(); // groups of 4 pixels
  f.get(q).get(qEnd).geU().brIf(1);
  for (let j = 0; j < 4; j++) {
    // m = min(q + j, qEnd − 1) = (n, oh, ow); base_j = x + n·hpWp + (oh·Wp + ow)·xPixel.
    f.get(q).i32(j).add().tee(m).get(qEnd).geU().if().get(qEnd).i32(1).sub().set(m).end();
    f.get(m).get(hw).divU().set(n);
    f.get(m).get(hw).remU().set(r);
    f.get(x).get(n).get(hpWp).mul().add();
    f.get(r).get(ow).divU().get(wp).mul().get(r).get(ow).remU().add().get(xPixel).mul().add();
    f.set(base[j]!);
  }
  for (const v of acc) f.v128Zero().set(v);
  f.get(panel).set(wa);
  // One step of the run: two vector loads of the panel, one splat per pixel, 8 multiply-adds.
  const step = (pointers: number[], offsets: number[]) => {
    tileStep(f, regs, wa, (j) => f.get(pointers[j]!).v128Load32Splat(offsets[j]!));
    for (const p of new Set(pointers)) f.inc(p, 4);
    f.inc(wa, 32);
  };
  // Both loops run at least once (KH ≥ 1, KW·Ci ≥ 1): test at the bottom.
  const runs = (pointers: number[], offsets: number[]) => {
    f.i32(0).set(k);
    f.loop(); // kh
    f.i32(0).set(t);
    f.loop(); // the run of KW·Ci inputs
    step(pointers, offsets);
    f.inc(t, 1).get(t).get(tapRun).ltU().brIf(0);
    f.end();
    for (const p of new Set(pointers)) f.incBy(p, rowSkip);
    f.inc(k, 1).get(k).get(kh).ltU().brIf(0);
    f.end();
  };
  if (fixedCi === undefined) {
    runs(base, [0, 0, 0, 0]);
  } else {
    // Ci known when the module was built: when the 4 pixels are neighbours on one row, one
    // pointer with immediate offsets j·Ci·4 serves all four (3 fewer additions per step).
    f.get(q).i32(3).add().get(qEnd).ltU();
    f.get(q).get(hw).remU().get(ow).remU().i32(3).add().get(ow).ltU().and();
    f.if();
    const p0 = base[0]!;
    runs([p0, p0, p0, p0], [0, 4 * fixedCi, 8 * fixedCi, 12 * fixedCi]);
    f.else();
    runs(base, [0, 0, 0, 0]);
    f.end();
  }
  // Epilogue: acc = acc·scale + bias[8·cb …] (loaded here, outside the inner loop's registers).
  f.get(args)
    .i32Load(A.epilogue * 4)
    .if();
  for (let j = 0; j < 8; j++) {
    f.get(acc[j]!)
      .get(args)
      .f32Load(A.scale * 4)
      .f32x4Splat()
      .f32x4Mul();
    f.get(args)
      .i32Load(A.bias * 4)
      .get(cb)
      .i32(32)
      .mul()
      .add()
      .v128Load(16 * (j % 2));
    f.f32x4Add().set(acc[j]!);
  }
  f.end();
  // Store the valid pixels' channels [8·cb, 8·cb + 8) ∩ [0, Co).
  for (let j = 0; j < 4; j++) {
    if (j > 0) f.get(q).i32(j).add().get(qEnd).ltU().if();
    f.get(y).get(q).i32(j).add().get(yPixel).mul().add().get(cb).i32(32).mul().add().set(m);
    storeFirstLanes(f, m, acc[2 * j]!, acc[2 * j + 1]!, rem, sv, r);
    if (j > 0) f.end();
  }
  f.inc(q, 4).br(0);
  f.end().end();
  f.inc(cb, 1).br(0);
  f.end().end();
  return f;
}
