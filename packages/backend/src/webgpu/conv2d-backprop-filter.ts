import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrs, convGeometry } from './conv-geometry';
import { patchOperand } from './conv-operands';
import { GemmProgram, runGemm } from './gemm-program';
import { matrixOperand } from './matrix-operand';
import { runStockKernel } from './stock-kernels';

/** Named for tfjs' profiler. */
export class ThConv2DBackpropFilterProgram extends GemmProgram {}

/**
 * Conv2DBackpropFilter (the weight gradient) as implicit GEMM:
 * dw[q][co] = Σ_p X[p][q] · dy[p][co]; M = kH·kW·Cin, N = Cout, K = N·OH·OW. K is the long
 * dimension here (batch × image), so the planner splits it across workgroups (split-K) and a
 * second pass adds the partial sums, instead of one thread walking all of it.
 */
export function conv2dBackpropFilterWebGpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
  const g = convGeometry(x.shape, attrs.filterShape, attrs, [x, dy]);
  if (typeof g === 'string') return runStockKernel('Conv2DBackpropFilter', args);
  const pixels = g.batch * g.outH * g.outW;
  return runGemm(args.backend as WebGPUBackend, {
    problem: { m: g.kH * g.kW * g.inC, n: g.outC, k: pixels, batch: 1 },
    a: patchOperand(g, 'x', 'A', 'patch-rows'),
    b: matrixOperand({
      buffer: 'dy',
      prefix: 'B',
      rows: g.outC,
      k: pixels,
      order: 'k-major',
      batches: 1,
    }),
    inputs: [x, dy],
    outputShape: [g.kH, g.kW, g.inC, g.outC],
    program: ThConv2DBackpropFilterProgram,
  });
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'webgpu',
  kernelFunc: conv2dBackpropFilterWebGpu as unknown as KernelFunc,
};
