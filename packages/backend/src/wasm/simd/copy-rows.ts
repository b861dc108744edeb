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
 * `src + row·srcStride` to `dst + row·dstStride` (wasm `memory.copy`, a native memmove).
 * Slices, splits, concatenations and zero-padding are all such strided row copies.
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
  f.block().loop();
  f.get(row).get(end).geU().brIf(1);
  f.get(args)
    .i32Load(A.dst * 4)
    .get(row)
    .get(args)
    .i32Load(A.dstStride * 4)
    .mul()
    .add();
  f.get(args)
    .i32Load(A.src * 4)
    .get(row)
    .get(args)
    .i32Load(A.srcStride * 4)
    .mul()
    .add();
  f.get(length).memoryCopy();
  f.inc(row, 1).br(0);
  f.end().end();
  return f;
}
