import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrs, type ConvGeometry, convGeometry } from './conv-geometry';
import { patchOperand } from './conv-operands';
import type { GemmEpilogue } from './gemm-epilogue';
import { GemmProgram, runGemm } from './gemm-program';
import { matrixOperand } from './matrix-operand';
import { runStockKernel } from './stock-kernels';

/** Named for tfjs' profiler. */
export class ThConv2DProgram extends GemmProgram {}

/**
 * Conv2D as implicit GEMM: y[p][co] = Σ_q X[p][q] · w[q][co], p = (n, oh, ow) output pixels,
 * q = (kh, kw, ci); M = N·OH·OW, N = Cout, K = kH·kW·Cin. Strides, dilations and any padding
 * are folded into the patch view of x. With an epilogue (the fused equalized-lr conv,
 * scaled-conv2d.ts) scale, bias, activation and residual are applied as C is stored.
 */
export function runConv2dGemm(
  backend: WebGPUBackend,
  g: ConvGeometry,
  x: TensorInfo,
  filter: TensorInfo,
  program: typeof GemmProgram,
  epilogue?: GemmEpilogue,
): TensorInfo {
  const taps = g.kH * g.kW * g.inC;
  return runGemm(backend, {
    problem: { m: g.batch * g.outH * g.outW, n: g.outC, k: taps, batch: 1 },
    a: patchOperand(g, 'x', 'A', 'pixel-rows'),
    b: matrixOperand({
      buffer: 'w',
      prefix: 'B',
      rows: g.outC,
      k: taps,
      order: 'k-major',
      batches: 1,
    }),
    inputs: [x, filter],
    outputShape: [g.batch, g.outH, g.outW, g.outC],
    program,
    bIsWeight: true,
    ...(epilogue ? { epilogue } : {}),
  });
}

export function conv2dWebGpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs;
  const g = convGeometry(x.shape, filter.shape, attrs, [x, filter]);
  if (typeof g === 'string') return runStockKernel('Conv2D', args);
  return runConv2dGemm(args.backend as WebGPUBackend, g, x, filter, ThConv2DProgram);
}

export const conv2dConfig: KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'webgpu',
  kernelFunc: conv2dWebGpu as unknown as KernelFunc,
};
