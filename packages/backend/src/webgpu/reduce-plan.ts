/**
 * How @th's WebGPU reduction (reduce-program.ts) covers a Sum/Mean call: the input seen as
 * [outer, rows, inner] with the reduced axes in the middle, reduced in one pass, or in two when
 * rows are many and outputs few: the first writes [outer, splits, inner] partials, the second
 * adds them. Pure arithmetic on shapes, so the plan, and with it the order of every addition,
 * depends on the shape alone: results are bit-identical run to run.
 */

/** Threads per workgroup (the WGSL tree reduction is written for exactly this many). */
export const REDUCE_WORKGROUP = 256;
/**
 * Workgroups a pass aims at before it stops splitting rows: a few per SM of a large GPU (an
 * H100 has 132 SMs, each holding up to 8 such workgroups), enough to keep memory busy.
 */
const TARGET_WORKGROUPS = 1024;
/** Fewest adjacent outputs a workgroup reads (8 floats: one 32-byte memory sector). */
const MIN_COLUMNS = 8;
/** Rows each thread adds in sequence, at least, before a split is worth another workgroup. */
const MIN_ROWS_PER_THREAD = 8;
/**
 * Rows each thread of the second pass adds at most (this bounds the first pass' splits): that
 * pass reads only partials, and a third dispatch would cost more wall time than these sequential
 * reads cost GPU time.
 */
const MAX_PARTIALS_PER_THREAD = 128;
/**
 * A pass whose threads add at most this many rows each is left whole: a second dispatch costs
 * more than it saves. (The lsr-224 step on an H100 spends ~0.14 ms of wall time per dispatch,
 * 649 ms for 4,626, against ~0.07 ms of GPU time.)
 */
const MAX_ROWS_PER_THREAD_UNSPLIT = 64;

/** A reduction of the middle axis of [outer, rows, inner] (row-major). */
export interface ReduceView {
  outer: number;
  rows: number;
  inner: number;
}

/** One pass: [outer, rows, inner] → [outer, splits, inner]. */
export interface ReducePass extends ReduceView {
  /**
   * Outputs (flat positions of [outer, inner]) per workgroup, a power of two; the workgroup's
   * other 256/columns threads stride along rows.
   */
  columns: number;
  /** Workgroups along the outputs: ceil(outer·inner / columns). */
  tiles: number;
  splits: number;
  /** Rows per split (the last split may have fewer). */
  chunk: number;
  workgroups: number;
}

const nextPow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

/**
 * The [outer, rows, inner] view of reducing `axes` of `shape`, or null when the reduced axes are
 * not one contiguous block once axes of size 1 are ignored (e.g. axes [0, 2] of [4, 5, 6]).
 * Axes must be normalised (non-negative).
 */
export function reduceView(shape: readonly number[], axes: readonly number[]): ReduceView | null {
  const reduced = new Set(axes);
  // Size-1 axes are neither reduced nor kept for memory order: drop them.
  const dims = shape
    .map((size, axis) => ({ size, reduced: reduced.has(axis) }))
    .filter((d) => d.size !== 1);
  const first = dims.findIndex((d) => d.reduced);
  const view: ReduceView = { outer: 1, rows: 1, inner: 1 };
  if (first < 0) {
    // Nothing of size > 1 is reduced: a copy.
    view.inner = dims.reduce((n, d) => n * d.size, 1);
    return view;
  }
  let last = first;
  while (last + 1 < dims.length && dims[last + 1]!.reduced) last++;
  if (dims.slice(last + 1).some((d) => d.reduced)) return null;
  dims.forEach((d, i) => {
    if (i < first) view.outer *= d.size;
    else if (i <= last) view.rows *= d.size;
    else view.inner *= d.size;
  });
  return view;
}

/**
 * One pass over `view`. A workgroup holds `columns` adjacent outputs by 256/columns row lanes.
 * Along `inner` adjacent outputs read adjacent memory (an NHWC row: coalesced), so with many rows
 * columns follow inner (up to 64), narrowed down to 8 (32-byte segments, still whole memory
 * sectors) while that gives more workgroups and each thread still adds several rows; with few
 * rows (2×2 mean pooling: 2) columns widen to fill the workgroup, spanning several outer
 * positions. Many rows and few outputs (a bias gradient, a loss sum) split the rows over several
 * workgroups, whose partials a second pass adds.
 */
export function reducePass(view: ReduceView, split = true): ReducePass {
  const { outer, rows, inner } = view;
  const outputs = outer * inner;
  const columnsForFewRows = REDUCE_WORKGROUP / Math.min(REDUCE_WORKGROUP, nextPow2(rows));
  let columns = Math.min(
    Math.max(Math.min(nextPow2(inner), 64), columnsForFewRows),
    nextPow2(outputs),
  );
  while (
    columns > Math.max(MIN_COLUMNS, columnsForFewRows) &&
    Math.ceil(outputs / columns) < TARGET_WORKGROUPS &&
    rows > (REDUCE_WORKGROUP / columns) * MIN_ROWS_PER_THREAD
  ) {
    columns /= 2;
  }
  const rowLanes = REDUCE_WORKGROUP / columns;
  const tiles = Math.ceil(outputs / columns);
  const maxSplits =
    !split || rows <= rowLanes * MAX_ROWS_PER_THREAD_UNSPLIT
      ? 1
      : Math.max(
          1,
          Math.min(
            Math.floor(rows / (rowLanes * MIN_ROWS_PER_THREAD)),
            rowLanes * MAX_PARTIALS_PER_THREAD,
          ),
        );
  const wanted = Math.max(1, Math.min(maxSplits, Math.ceil(TARGET_WORKGROUPS / tiles)));
  const chunk = Math.ceil(rows / wanted);
  const splits = Math.ceil(rows / chunk);
  return { outer, rows, inner, columns, tiles, splits, chunk, workgroups: tiles * splits };
}

/**
 * The passes of reducing `view`: one, or two when the first splits rows (the second adds the
 * partials, unsplit: the first pass' split count bounds the rows each of its threads adds to 128).
 */
export function reducePasses(view: ReduceView): ReducePass[] {
  const first = reducePass(view);
  if (first.splits === 1) return [first];
  return [first, reducePass({ outer: view.outer, rows: first.splits, inner: view.inner }, false)];
}
