import {
  backend_util,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { callOriginalKernel } from './original-kernels';
import { argBlock, f32Bits, kernelRuntimeOf } from './simd/kernel-runtime';
import { SUM_AXIS_ARGS } from './simd/sum-axis';

interface ReduceArgs {
  inputs: { x: TensorInfo };
  backend: KernelBackend;
  attrs: { axis: number | number[]; keepDims: boolean };
}

/** Below this many input bytes a reduction runs on the calling thread only. */
const PARALLEL_MIN_BYTES = 1 << 20;

/**
 * Sum or Mean over a contiguous run of axes that is not innermost, as one `sum_axis` job; other
 * cases (innermost axes, which tfjs reduces without a transpose; int32; scattered axes) go to
 * tfjs' kernel. Returns null when handing back.
 */
function reduceMiddle(args: ReduceArgs, mean: boolean): TensorInfo | null {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const runtime = kernelRuntimeOf(backend);
  if (!runtime || x.dtype !== 'float32') return null;
  const axes = util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  if (axes.length === 0 || axes.some((a, i) => i > 0 && a !== axes[i - 1]! + 1)) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  const outer = util.sizeFromShape(x.shape.slice(0, first));
  const reduce = util.sizeFromShape(x.shape.slice(first, last + 1));
  const inner = util.sizeFromShape(x.shape.slice(last + 1));
  if (inner === 1 || reduce === 0 || outer * inner === 0) return null;
  const [kept] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const shape = attrs.keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept;
  const out = runtime.backend.makeOutput(shape, 'float32');
  const parallel = runtime.threads > 1 && outer * reduce * inner * 4 >= PARALLEL_MIN_BYTES;
  const wanted = parallel ? runtime.threads * 4 : 1;
  const split = Math.min(Math.ceil(wanted / outer), Math.ceil(inner / 16));
  const columns = split <= 1 ? inner : Math.ceil(inner / split / 16) * 16;
  const tilesPerOuter = Math.ceil(inner / columns);
  const a = argBlock(SUM_AXIS_ARGS, {
    x: runtime.address(x),
    y: runtime.address(out),
    reduce,
    inner,
    columns,
    tilesPerOuter,
    // The scale travels as the bits of an f32 in an i32 slot.
    scale: f32Bits(mean ? 1 / reduce : 1),
  });
  runtime.run('sum_axis', outer * tilesPerOuter, a, parallel);
  return out;
}

/** Sum for wasm: middle axes reduced in place (`sum_axis`), the rest by tfjs. */
export function sumWasm(args: ReduceArgs): TensorInfo {
  return reduceMiddle(args, false) ?? callOriginalKernel('Sum', args);
}

/** Mean for wasm: middle axes (instance norm's H, W) reduced in place, the rest by tfjs. */
export function meanWasm(args: ReduceArgs): TensorInfo {
  return reduceMiddle(args, true) ?? callOriginalKernel('Mean', args);
}

export const sumConfig: KernelConfig = {
  kernelName: 'Sum',
  backendName: 'wasm',
  kernelFunc: sumWasm as unknown as KernelFunc,
};

export const meanConfig: KernelConfig = {
  kernelName: 'Mean',
  backendName: 'wasm',
  kernelFunc: meanWasm as unknown as KernelFunc,
};
