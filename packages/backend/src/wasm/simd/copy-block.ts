import { COPY_ROWS_ARGS } from './copy-rows';
import { argBlock, type KernelRuntime } from './kernel-runtime';

/** One axis of a strided copy after merging: how many, and the steps in source and target. */
interface Axis {
  count: number;
  srcStep: number;
  dstStep: number;
}

const product = (values: readonly number[]) => values.reduce((a, b) => a * b, 1);

/** Row-major strides in elements. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let a = shape.length - 2; a >= 0; a--) strides[a] = strides[a + 1]! * shape[a + 1]!;
  return strides;
}

/**
 * Copy the block of `size` elements starting at `srcBegin` of the array at `src` (shape
 * `srcShape`) to `dstBegin` of the array at `dst` (shape `dstShape`); elements are
 * `elementBytes` wide. Slice, SplitV and Concat are such block copies.
 *
 * The innermost axes that are whole in both arrays join the contiguous run; outer axes whose
 * steps line up are merged; the innermost remaining axis becomes the rows of one `copy_rows`
 * call and any others are looped here (none, for a slice or concatenation along one axis).
 */
export function copyBlock(
  runtime: KernelRuntime,
  elementBytes: number,
  src: { address: number; shape: readonly number[]; begin: readonly number[] },
  dst: { address: number; shape: readonly number[]; begin: readonly number[] },
  size: readonly number[],
): void {
  const rank = size.length;
  if (product(size) === 0) return;
  let inner = rank;
  while (
    inner > 0 &&
    size[inner - 1] === src.shape[inner - 1] &&
    size[inner - 1] === dst.shape[inner - 1]
  ) {
    inner--;
  }
  // The run: axis inner−1 (possibly partial) and everything inside it.
  const runAxis = Math.max(inner - 1, 0);
  const run = product(size.slice(runAxis)) * elementBytes;
  const srcStrides = stridesOf(src.shape);
  const dstStrides = stridesOf(dst.shape);
  let srcStart = 0;
  let dstStart = 0;
  for (let a = 0; a < rank; a++) {
    srcStart += src.begin[a]! * srcStrides[a]!;
    dstStart += dst.begin[a]! * dstStrides[a]!;
  }
  const axes: Axis[] = [];
  for (let a = 0; a < runAxis; a++) {
    const axis = { count: size[a]!, srcStep: srcStrides[a]!, dstStep: dstStrides[a]! };
    const last = axes[axes.length - 1];
    if (
      last &&
      last.srcStep === axis.srcStep * axis.count &&
      last.dstStep === axis.dstStep * axis.count
    ) {
      last.count *= axis.count;
      last.srcStep = axis.srcStep;
      last.dstStep = axis.dstStep;
    } else if (axis.count > 1) {
      axes.push(axis);
    }
  }
  const rows = axes.pop() ?? { count: 1, srcStep: 0, dstStep: 0 };
  const srcBase = src.address + srcStart * elementBytes;
  const dstBase = dst.address + dstStart * elementBytes;
  const index = new Array<number>(axes.length).fill(0);
  for (;;) {
    let s = srcBase;
    let d = dstBase;
    for (let i = 0; i < axes.length; i++) {
      s += index[i]! * axes[i]!.srcStep * elementBytes;
      d += index[i]! * axes[i]!.dstStep * elementBytes;
    }
    const args = argBlock(COPY_ROWS_ARGS, {
      src: s,
      srcStride: rows.srcStep * elementBytes,
      dst: d,
      dstStride: rows.dstStep * elementBytes,
      rows: rows.count,
      length: run,
      rowsPerTile: rows.count,
    });
    runtime.run('copy_rows', 1, args, false);
    let i = axes.length - 1;
    while (i >= 0 && ++index[i]! === axes[i]!.count) index[i--] = 0;
    if (i < 0) return;
  }
}
