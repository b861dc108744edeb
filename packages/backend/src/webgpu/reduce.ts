import {
  backend_util,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { REDUCE_WORKGROUP, reducePasses, reduceView } from './reduce-plan';
import { reduceProgram, reduceUniforms } from './reduce-program';
import type { ProgramRunner } from './runtime/kernels/program';
import { runStockKernel } from './stock-kernels';

type ReduceKernel = 'Sum' | 'Mean';

/** i32 indexing in the shader: elements and thread ids stay below this. */
const INDEX_LIMIT = 2 ** 31;

interface Backend extends ProgramRunner {
  disposeData(dataId: object): void;
}

/** A view of `t` with another shape (tfjs-webgpu's Reshape: shares the buffer, counts a ref). */
function reshaped(t: TensorInfo, shape: number[], backend: Backend): TensorInfo {
  const reshape = getKernel('Reshape', 'webgpu');
  if (!reshape) throw new Error('@th webgpu reduction: no Reshape kernel on webgpu');
  return reshape.kernelFunc({
    inputs: { x: t },
    attrs: { shape },
    backend: backend as never,
  }) as TensorInfo;
}

/**
 * Sum and Mean of float32 tensors whose reduced axes form one contiguous block once size-1 axes
 * are ignored: NHWC → C (bias gradients, per-channel sums), everything → scalar (loss sums and
 * means), [N, 2, W·C] → [N, W·C] (reshape-then-mean pooling), innermost axes, and axes of size
 * 1 only (a copy: one dispatch where tfjs-webgpu transposes and reduces). tfjs-webgpu
 * transposes the reduced axes innermost first and then runs one workgroup per output, which for
 * few outputs (a bias gradient: C of them) leaves the GPU idle. Here no transpose: one pass
 * with many workgroups writes partials, a second (when rows were split) adds them in a fixed
 * order (reduce-plan.ts), so the result is deterministic.
 *
 * tfjs-webgpu's own kernel (captured by registerWebGpuKernels) runs int32/bool inputs, empty
 * tensors, non-contiguous axes (e.g. [0, 2] of a rank-3 tensor) and tensors of 2³¹ elements or
 * more.
 */
function reduceWebGpu(kernel: ReduceKernel, args: Parameters<KernelFunc>[0]): TensorInfo {
  const x = args.inputs.x as TensorInfo;
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  if (x.dtype !== 'float32') return runStockKernel(kernel, args);
  const axes = util.parseAxisParam(axis, x.shape);
  const size = util.sizeFromShape(x.shape);
  const view = reduceView(x.shape, axes);
  if (!view || size === 0 || size >= INDEX_LIMIT) {
    return runStockKernel(kernel, args);
  }
  const passes = reducePasses(view);
  if (passes.some((p) => p.workgroups * REDUCE_WORKGROUP >= INDEX_LIMIT))
    return runStockKernel(kernel, args);
  const backend = args.backend as unknown as Backend;
  let input = reshaped(x, [size], backend);
  passes.forEach((pass, k) => {
    const last = k === passes.length - 1;
    const divisor = last && kernel === 'Mean' ? view.rows : 1;
    const out = backend.runWebGPUProgram(
      reduceProgram(pass),
      [input],
      'float32',
      reduceUniforms(pass, divisor),
    );
    backend.disposeData(input.dataId);
    input = out;
  });
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  const result = reshaped(input, shape, backend);
  backend.disposeData(input.dataId);
  return result;
}

export const sumConfig: KernelConfig = {
  kernelName: 'Sum',
  backendName: 'webgpu',
  kernelFunc: ((args) => reduceWebGpu('Sum', args)) as KernelFunc,
};

export const meanConfig: KernelConfig = {
  kernelName: 'Mean',
  backendName: 'webgpu',
  kernelFunc: ((args) => reduceWebGpu('Mean', args)) as KernelFunc,
};
