import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrs, convGeometry } from './conv-geometry';
import { filterByInputChannelOperand, gradientGatherOperand } from './conv-operands';
import { GemmProgram, runGemm } from './gemm-program';
import { runStockKernel } from './stock-kernels';

/** Named for tfjs' profiler. */
export class ThConv2DBackpropInputProgram extends GemmProgram {}

/**
 * Conv2DBackpropInput (the input gradient, and conv2dTranspose) as implicit GEMM:
 * dx[(n, ih, iw)][ci] = Σ_(kh, kw, co) dy[n, oh, ow, co] · w[kh, kw, ci, co] over the taps that
 * reach (ih, iw); M = N·H·W, N = Cin, K = kH·kW·Cout.
 */
export function conv2dBackpropInputWebGpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
  const g = convGeometry(attrs.inputShape, filter.shape, attrs, [dy, filter]);
  if (typeof g === 'string') return runStockKernel('Conv2DBackpropInput', args);
  return runGemm(args.backend as WebGPUBackend, {
    problem: { m: g.batch * g.inH * g.inW, n: g.inC, k: g.kH * g.kW * g.outC, batch: 1 },
    a: gradientGatherOperand(g, 'dy', 'A'),
    b: filterByInputChannelOperand(g, 'w', 'B'),
    inputs: [dy, filter],
    outputShape: [g.batch, g.inH, g.inW, g.inC],
    program: ThConv2DBackpropInputProgram,
  });
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'webgpu',
  kernelFunc: conv2dBackpropInputWebGpu as unknown as KernelFunc,
};
