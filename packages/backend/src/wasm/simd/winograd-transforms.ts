import { FunctionBuilder, I32, V128 } from './wasm-builder';

/**
 * Winograd F(2×2, 3×3) (Lavin & Gray 2016): a 2×2 block of a 3×3 stride-1 convolution's output
 * is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A for the 4×4 input patch d it reads, with
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1],  G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
 *   Aᵀ = [1 1 1 0; 0 1 −1 −1].
 * Summed over input channels, the ⊙ becomes 16 independent matrix products [tiles × Ci]·[Ci × Co]
 * (one per position ξ of the 4×4 transformed tile): 16 multiply-adds per 2×2 outputs and channel
 * pair instead of 36. The filter gradient (a correlation of the input with the output gradient,
 * F(3×3, 2×2)) reuses the same tiles: by the transposition principle it is
 * dW = Gᵀ[(A dy Aᵀ) ⊙ (Bᵀ d B)]G for the 2×2 output-gradient patch dy of each tile, summed over
 * tiles as 16 products [Ci × tiles]·[tiles × Co]. The kernels here do the data transforms, 4
 * channels per f32x4.
 */

/**
 * Argument block of the tile transforms `wino_input` and `wino_grad_dy` (i32 slots; addresses
 * and strides in bytes). Both read a patch (4×4 for the input, 2×2 for the output gradient) at
 * padded pixel (2·th, 2·tw) of every tile and write its 16 transformed values, 4 channels per
 * f32x4, to V[ξ] at
 *   v + ξ·planeBytes + tile·tileBytes + (q >> 1)·pairBytes + (q & 1)·oddBytes
 * for channel quad q (channels 4q…4q+3), tile = the tile's index in this pass. Channel-contiguous
 * rows [T][C] are tileBytes = C·4, pairBytes = 32, oddBytes = 16; panels of 4 channels
 * [C/4][T][4] are tileBytes = 16, pairBytes = 2·T·16, oddBytes = T·16; panels of 8 channels
 * [C/8][T][8] are tileBytes = 32, pairBytes = T·32, oddBytes = 16.
 */
export const WINO_TILE_ARGS = {
  /** Zero-padded images [N, Hp, Wp, C] with Hp ≥ 2·tilesH + patch − 2, likewise Wp. */
  x: 0,
  /** Channels C (a multiple of 4). */
  c: 1,
  wp: 2,
  /** Bytes of one padded image (Hp·Wp·C·4). */
  imageBytes: 3,
  tilesH: 4,
  tilesW: 5,
  /** V [16][…]: T = N·tilesH·tilesW tiles in raster order (only this pass's rows). */
  v: 6,
  /** Bytes from one ξ plane of V to the next. */
  planeBytes: 7,
  /** Tile rows of this job start at global row `firstRow` (V holds only this job's rows). */
  firstRow: 8,
  tileBytes: 9,
  pairBytes: 10,
  oddBytes: 11,
  size: 12,
} as const;

/** Argument block of `wino_output` (i32 slots; addresses and strides in bytes). */
export const WINO_OUTPUT_ARGS = {
  /** M [16][T][Co]: the 16 products. */
  m: 0,
  /** Output channels Co (a multiple of 4). */
  co: 1,
  planeBytes: 2,
  tilesH: 3,
  tilesW: 4,
  /** y [N, OH, OW, Co]; tiles past OH or OW store only their valid outputs. */
  y: 5,
  oh: 6,
  ow: 7,
  /** Tile rows of this job start at global row `firstRow` (M holds only this job's rows). */
  firstRow: 8,
  /** 0, or the address of Co floats added to every output pixel (a conv's bias). */
  bias: 9,
  size: 10,
} as const;

/**
 * Where a tile row lies, for both transforms: `row = firstRow + tile` is the job's global tile row,
 * image n = row / tilesH, tile row th = row % tilesH. `pushImage` pushes n, `pushTop` pushes 2·th
 * (the tile's first pixel row). `at` gives the argument-block slots of firstRow and tilesH.
 */
function tileRow(
  f: FunctionBuilder,
  args: number,
  tile: number,
  row: number,
  at: { firstRow: number; tilesH: number },
) {
  f.get(tile)
    .get(args)
    .i32Load(at.firstRow * 4)
    .add()
    .set(row);
  return {
    pushImage: () =>
      f
        .get(row)
        .get(args)
        .i32Load(at.tilesH * 4)
        .divU(),
    pushTop: () =>
      f
        .get(row)
        .get(args)
        .i32Load(at.tilesH * 4)
        .remU()
        .i32(2)
        .mul(),
  };
}

/** Emit `dst = Σ sign·src` over f32x4 locals (signs ±1, the first one +1). */
function combine(f: FunctionBuilder, dst: number, terms: ReadonlyArray<readonly [number, 1 | -1]>) {
  f.get(terms[0]![0]);
  for (const [src, sign] of terms.slice(1)) {
    f.get(src);
    if (sign > 0) f.f32x4Add();
    else f.f32x4Sub();
  }
  f.set(dst);
}

/** Rows of Bᵀ as (index, sign) terms. */
const BT: ReadonlyArray<ReadonlyArray<readonly [number, 1 | -1]>> = [
  [
    [0, 1],
    [2, -1],
  ],
  [
    [1, 1],
    [2, 1],
  ],
  [
    [2, 1],
    [1, -1],
  ],
  [
    [1, 1],
    [3, -1],
  ],
];
/**
 * Rows of the output-gradient transform L = S·A (4×2) of the filter gradient, S = diag(1, 1, 1,
 * −1) so that every row starts with +1: the filter gradient of one tile is
 * dW = (S G)ᵀ [(L dy Lᵀ) ⊙ (Bᵀ d B)] (S G) (see `winograd-filter-grad.ts`).
 */
const L_DY: ReadonlyArray<ReadonlyArray<readonly [number, 1 | -1]>> = [
  [[0, 1]],
  [
    [0, 1],
    [1, 1],
  ],
  [
    [0, 1],
    [1, -1],
  ],
  [[1, 1]],
];
/** Rows of Aᵀ as (index, sign) terms. */
const AT: ReadonlyArray<ReadonlyArray<readonly [number, 1 | -1]>> = [
  [
    [0, 1],
    [1, 1],
    [2, 1],
  ],
  [
    [1, 1],
    [2, -1],
    [3, -1],
  ],
];

/** Emit out = L · in · Lᵀ for square `input` locals and a left factor L given by its rows. */
function sandwich(
  f: FunctionBuilder,
  input: number[][],
  rows: ReadonlyArray<ReadonlyArray<readonly [number, 1 | -1]>>,
  temp: number[][],
  out: number[][],
) {
  // temp = L · input (rows × columns), then out = temp · Lᵀ (rows × rows).
  rows.forEach((terms, i) => {
    for (let s = 0; s < input[0]!.length; s++) {
      combine(
        f,
        temp[i]![s]!,
        terms.map(([r, sign]) => [input[r]![s]!, sign] as const),
      );
    }
  });
  rows.forEach((_, i) => {
    rows.forEach((terms, j) => {
      combine(
        f,
        out[i]![j]!,
        terms.map(([s, sign]) => [temp[i]![s]!, sign] as const),
      );
    });
  });
}

/**
 * `wino_input`: V = Bᵀ d B of every 4×4 input patch (the forward and input-gradient tiles), as
 * rows [T][C] (channels inner); `wino_input_panels` the same into channel panels (tiles inner).
 */
export function winoInputFunction(order: LoopOrder): FunctionBuilder {
  return winoTileFunction(
    order === 'channels-inner' ? 'wino_input' : 'wino_input_panels',
    4,
    BT,
    order,
  );
}

/** `wino_grad_dy`: L g Lᵀ of every 2×2 output-gradient patch (the filter gradient's tiles), into panels. */
export function winoGradDyFunction(): FunctionBuilder {
  return winoTileFunction('wino_grad_dy', 2, L_DY, 'tiles-inner');
}

/**
 * Which loop of a tile transform is inner: channels for V as rows (consecutive stores), tiles for
 * V in channel panels (where consecutive channel groups lie a whole panel apart).
 */
export type LoopOrder = 'channels-inner' | 'tiles-inner';

/**
 * `name(tile, args, thread)` (`WINO_TILE_ARGS`): tile = one row of 2×2 output tiles (global row
 * firstRow + tile = n·tilesH + th, image n, tile row th). For every tile along it and every 4
 * channels: read the patch × patch pixels at padded (2·th, 2·tw), write the 16 values of
 * F · d · Fᵀ (F: 4 × patch, given by its rows) to the 16 planes of V.
 */
function winoTileFunction(
  name: string,
  patch: 2 | 4,
  factor: ReadonlyArray<ReadonlyArray<readonly [number, 1 | -1]>>,
  order: LoopOrder,
): FunctionBuilder {
  const A = WINO_TILE_ARGS;
  const f = new FunctionBuilder(name, [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const c = L();
  const pixelBytes = L();
  const rowBytes = L();
  const tilesW = L();
  const planeBytes = L();
  const tileBytes = L();
  const pairBytes = L();
  const oddBytes = L();
  const row = L();
  const rowStart = L();
  const dstStart = L();
  const tw = L();
  const cb = L();
  const p = L();
  const q = L();
  const grid = (rows: number, columns: number) =>
    Array.from({ length: rows }, () => Array.from({ length: columns }, () => f.local(V128)));
  const d = grid(patch, patch);
  const t = grid(4, patch);
  const v = grid(4, 4);
  f.loadArg(args, A.c, c);
  f.get(c).i32(4).mul().set(pixelBytes);
  f.get(args)
    .i32Load(A.wp * 4)
    .get(pixelBytes)
    .mul()
    .set(rowBytes);
  f.loadArg(args, A.tilesW, tilesW);
  f.loadArg(args, A.planeBytes, planeBytes);
  f.loadArg(args, A.tileBytes, tileBytes);
  f.loadArg(args, A.pairBytes, pairBytes);
  f.loadArg(args, A.oddBytes, oddBytes);
  // rowStart = x + n·imageBytes + 2·th·rowBytes.
  const at = tileRow(f, args, tile, row, A);
  f.get(args).i32Load(A.x * 4);
  at.pushImage()
    .get(args)
    .i32Load(A.imageBytes * 4)
    .mul()
    .add();
  at.pushTop().get(rowBytes).mul().add().set(rowStart);
  // dstStart = v + tile·tilesW·tileBytes (tiles of this row are consecutive in V).
  f.get(args)
    .i32Load(A.v * 4)
    .get(tile)
    .get(tilesW)
    .mul()
    .get(tileBytes)
    .mul()
    .add()
    .set(dstStart);
  // Loop over tiles and 4-channel groups (cb in bytes), in the order that writes V front to back.
  const loops: [number, number][] = [
    [tw, tilesW],
    [cb, pixelBytes],
  ];
  if (order === 'tiles-inner') loops.reverse();
  for (const [counter, end] of loops) {
    f.i32(0).set(counter);
    f.block().loop();
    f.get(counter).get(end).geU().brIf(1);
  }
  // p = the patch's top-left pixel, channels cb.
  f.get(rowStart).get(tw).i32(2).mul().get(pixelBytes).mul().add().get(cb).add().set(p);
  for (let r = 0; r < patch; r++) {
    f.get(p).set(q);
    for (let s = 0; s < patch; s++) {
      f.get(q).v128Load(0).set(d[r]![s]!);
      if (s < patch - 1) f.get(q).get(pixelBytes).add().set(q);
    }
    if (r < patch - 1) f.get(p).get(rowBytes).add().set(p);
  }
  sandwich(f, d, factor, t, v);
  // q = dstStart + tw·tileBytes + (quad >> 1)·pairBytes + (quad & 1)·oddBytes, quad = cb / 16.
  f.get(dstStart).get(tw).get(tileBytes).mul().add();
  f.get(cb).i32(5).shrU().get(pairBytes).mul().add();
  f.get(cb).i32(4).shrU().i32(1).and().get(oddBytes).mul().add().set(q);
  for (let i = 0; i < 16; i++) {
    f.get(q)
      .get(v[i >> 2]![i & 3]!)
      .v128Store(0);
    if (i < 15) f.get(q).get(planeBytes).add().set(q);
  }
  for (const [counter] of loops.reverse()) {
    f.inc(counter, counter === cb ? 16 : 1).br(0);
    f.end().end();
  }
  return f;
}

/**
 * `wino_output(tile, args, thread)`: tile = one row of 2×2 output tiles (global row
 * firstRow + tile = n·tilesH + th, image n, tile row th).
 * For every tile along it and every 4 channels: y[2·th + i, 2·tw + j] = (Aᵀ m A)[i][j] (+ bias)
 * for the outputs inside OH × OW.
 */
export function winoOutputFunction(): FunctionBuilder {
  const A = WINO_OUTPUT_ARGS;
  const f = new FunctionBuilder('wino_output', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const L = () => f.local(I32);
  const pixelBytes = L();
  const tilesW = L();
  const planeBytes = L();
  const ow = L();
  const row = L();
  const srcStart = L();
  const yRow = L();
  const rowValid = L();
  const tw = L();
  const cb = L();
  const p = L();
  const q = L();
  const grid = (rows: number) =>
    Array.from({ length: rows }, () => Array.from({ length: 4 }, () => f.local(V128)));
  const m = grid(4);
  const t = grid(2);
  const out = grid(2);
  f.get(args)
    .i32Load(A.co * 4)
    .i32(4)
    .mul()
    .set(pixelBytes);
  f.loadArg(args, A.tilesW, tilesW);
  f.loadArg(args, A.planeBytes, planeBytes);
  f.loadArg(args, A.ow, ow);
  f.get(args)
    .i32Load(A.m * 4)
    .get(tile)
    .get(tilesW)
    .mul()
    .get(pixelBytes)
    .mul()
    .add()
    .set(srcStart);
  // Output row 2·th of image n: yRow = y + (n·OH + 2·th)·OW·pixelBytes; rowValid = 2·th + 1 < OH.
  const at = tileRow(f, args, tile, row, A);
  at.pushTop().set(p);
  f.get(p)
    .i32(1)
    .add()
    .get(args)
    .i32Load(A.oh * 4)
    .ltU()
    .set(rowValid);
  f.get(args).i32Load(A.y * 4);
  at.pushImage()
    .get(args)
    .i32Load(A.oh * 4)
    .mul()
    .get(p)
    .add()
    .get(ow)
    .mul()
    .get(pixelBytes)
    .mul()
    .add()
    .set(yRow);
  f.i32(0).set(tw);
  f.block().loop(); // tiles along the row
  f.get(tw).get(tilesW).geU().brIf(1);
  f.i32(0).set(cb);
  f.block().loop(); // 4 channels at a time
  f.get(cb).get(pixelBytes).geU().brIf(1);
  f.get(srcStart).get(tw).get(pixelBytes).mul().add().get(cb).add().set(q);
  for (let i = 0; i < 16; i++) {
    f.get(q)
      .v128Load(0)
      .set(m[i >> 2]![i & 3]!);
    if (i < 15) f.get(q).get(planeBytes).add().set(q);
  }
  sandwich(f, m, AT, t, out);
  f.get(args)
    .i32Load(A.bias * 4)
    .if();
  f.get(args)
    .i32Load(A.bias * 4)
    .get(cb)
    .add()
    .v128Load(0)
    .set(m[0]![0]!);
  for (const v of out.flat()) f.get(v).get(m[0]![0]!).f32x4Add().set(v);
  f.end();
  // Store: column 2·tw always exists, 2·tw + 1 only when < OW; row 2·th + 1 only when rowValid.
  f.get(yRow).get(tw).i32(2).mul().get(pixelBytes).mul().add().get(cb).add().set(p);
  for (let i = 0; i < 2; i++) {
    if (i === 1) {
      f.get(rowValid).if();
      f.get(p).get(ow).get(pixelBytes).mul().add().set(p);
    }
    f.get(p).get(out[i]![0]!).v128Store(0);
    f.get(tw).i32(2).mul().i32(1).add().get(ow).ltU().if();
    f.get(p).get(pixelBytes).add().get(out[i]![1]!).v128Store(0);
    f.end();
    if (i === 1) f.end();
  }
  f.inc(cb, 16).br(0);
  f.end().end();
  f.inc(tw, 1).br(0);
  f.end().end();
  return f;
}
