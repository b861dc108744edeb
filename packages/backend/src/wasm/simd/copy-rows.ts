import { FunctionBuilder, I32 } from './wasm-builder';

/** Argument block of `copy_rows` (i32 slots, bytes). */
export const COPY_ROWS_ARGS = {
  src: 0,
  srcStride: 1,
  dst: 2,
  dstStride: 3,
  rows: 4,
  /** Bytes copied per row. */
  length: 5,
  rowsPerTile: 6,
  size: 7,
} as const;

/**
 * `copy_rows(tile, args, thread)`: for rows [tile·rowsPerTile, ...), copy `length` bytes from
 * `src + row·srcStride` to `dst + row·dstStride`. Slices, splits, concatenations and
 * zero-padding are all such strided row copies. Rows of up to 64 bytes in whole 4-byte words
 * (a few channels of an NHWC pixel) are copied word by word here; longer or odd ones with
 * wasm's `memory.copy` (a native memmove, but a call per row).
 */
export function copyRowsFunction(): FunctionBuilder {
  const A = COPY_ROWS_ARGS;
  const f = new FunctionBuilder('copy_rows', [I32, I32, I32]);
  const [tile, args] = [0, 1];
  const row = f.local(I32);
  const end = f.local(I32);
  const length = f.local(I32);
  f.get(args)
    .i32Load(A.length * 4)
    .set(length);
  f.get(tile)
    .get(args)
    .i32Load(A.rowsPerTile * 4)
    .mul()
    .tee(row);
  f.get(args)
    .i32Load(A.rowsPerTile * 4)
    .add()
    .set(end);
  f.get(end)
    .get(args)
    .i32Load(A.rows * 4)
    .gtU()
    .if()
    .get(args)
    .i32Load(A.rows * 4)
    .set(end)
    .end();
  const src = f.local(I32);
  const dst = f.local(I32);
  const k = f.local(I32);
  const srcStride = f.local(I32);
  const dstStride = f.local(I32);
  f.get(args)
    .i32Load(A.srcStride * 4)
    .set(srcStride);
  f.get(args)
    .i32Load(A.dstStride * 4)
    .set(dstStride);
  f.get(args)
    .i32Load(A.src * 4)
    .get(row)
    .get(srcStride)
    .mul()
    .add()
    .set(src);
  f.get(args)
    .i32Load(A.dst * 4)
    .get(row)
    .get(dstStride)
    .mul()
    .add()
    .set(dst);
  f.get(length).i32(64).gtU().get(length).i32(3).and().or().eqz().if();
  // Short rows of whole words.
  f.block().loop();
  f.get(row).get(end).geU().brIf(1);
  f.i32(0).set(k);
  f.block().loop();
  f.get(k).get(length).geU().brIf(1);
  f.get(dst).get(k).add().get(src).get(k).add().i32Load(0).i32Store(0);
  f.inc(k, 4).br(0);
  f.end().end();
  f.incBy(src, srcStride).incBy(dst, dstStride).inc(row, 1).br(0);
  f.end().end();
  f.else();
  f.block().loop();
  f.get(row).get(end).geU().brIf(1);
  f.get(dst).get(src).get(length).memoryCopy();
  f.incBy(src, srcStride).incBy(dst, dstStride).inc(row, 1).br(0);
  f.end().end();
  f.end();
  return f;
}
