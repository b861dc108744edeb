import type { FunctionBuilder as Builder } from './wasm-builder';

/** Loop shapes shared by @th's elementwise SIMD kernels. */

/**
 * Emit, over byte offsets [i, end) of a run: 16-byte steps while they fit, then 4-byte ones.
 * `vector` and `scalar` emit one step at offset local `i`.
 */
export function vectorThenScalar(
  f: Builder,
  i: number,
  end: number,
  vecEnd: number,
  vector: () => void,
  scalar: () => void,
): void {
  // vecEnd = i + ((end − i) & ~15)
  f.get(i).get(end).get(i).sub().i32(-16).and().add().set(vecEnd);
  f.block().loop();
  f.get(i).get(vecEnd).geU().brIf(1);
  vector();
  f.inc(i, 16).br(0);
  f.end().end();
  f.block().loop();
  f.get(i).get(end).geU().brIf(1);
  scalar();
  f.inc(i, 4).br(0);
  f.end().end();
}

/**
 * The element range [i, end) of this tile: [tile·chunk, min(count, (tile+1)·chunk)), as indices.
 * `count` and `chunk` are the argument-block slots holding them.
 */
export function chunkIndexRange(
  f: Builder,
  args: number,
  tile: number,
  i: number,
  end: number,
  A: { count: number; chunk: number },
): void {
  f.get(tile)
    .get(args)
    .i32Load(A.chunk * 4)
    .mul()
    .tee(i);
  f.get(args)
    .i32Load(A.chunk * 4)
    .add()
    .set(end);
  f.get(args)
    .i32Load(A.count * 4)
    .get(end)
    .get(end)
    .get(args)
    .i32Load(A.count * 4)
    .gtU()
    .select()
    .set(end);
}

/** The byte range [i, end) of this tile's f32 elements (chunkIndexRange × 4). */
export function chunkRange(
  f: Builder,
  args: number,
  tile: number,
  i: number,
  end: number,
  A: { count: number; chunk: number },
): void {
  chunkIndexRange(f, args, tile, i, end, A);
  f.get(end).i32(4).mul().set(end);
  f.get(i).i32(4).mul().set(i);
}
