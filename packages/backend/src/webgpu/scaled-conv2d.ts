import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SCALED_CONV2D, type ScaledConv2dAttrs } from '../fused/equalized-lr-kernels';
import { convGeometry } from './conv-geometry';
import { runConv2dGemm } from './conv2d';
import { GemmProgram } from './gemm-program';

/** Named for tfjs' profiler. */
export class ThScaledConv2DProgram extends GemmProgram {}

const same = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * ThScaledConv2D on WebGPU: act(conv2d(x, w, 1, 'same')·scale + bias) + residual as one
 * implicit-GEMM dispatch, the epilogue applied as results are stored (or in the split-K
 * reduction), instead of a Multiply on the weights, the Conv2D, an Add for the bias and the
 * activation and residual kernels after it. Inference only: the op (ops/scaled-conv2d.ts) takes
 * it outside a gradient tape, so it has no gradient.
 */
function scaledConv2dWebGpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, filter, bias, residual } = args.inputs as Record<string, TensorInfo | undefined>;
  const attrs = args.attrs as unknown as ScaledConv2dAttrs;
  if (!x || !filter) throw new Error(`${SCALED_CONV2D}: x and filter are required`);
  const tensors = [x, filter, bias, residual].filter((t): t is TensorInfo => t !== undefined);
  const g = convGeometry(x.shape, filter.shape, { strides: 1, pad: 'same' }, tensors);
  if (typeof g === 'string') throw new Error(`${SCALED_CONV2D}: ${g}`);
  if (bias && !same(bias.shape, [g.outC]))
    throw new Error(`${SCALED_CONV2D}: bias [${bias.shape}] must be [${g.outC}]`);
  const outShape = [g.batch, g.outH, g.outW, g.outC];
  if (residual && !same(residual.shape, outShape))
    throw new Error(`${SCALED_CONV2D}: residual [${residual.shape}] must be [${outShape}]`);
  return runConv2dGemm(args.backend as WebGPUBackend, g, x, filter, ThScaledConv2DProgram, {
    scale: attrs.scale,
    bias: bias ?? null,
    activation: attrs.activation ?? 'linear',
    alpha: attrs.alpha ?? 0,
    residual: residual ?? null,
  });
}

export const scaledConv2dWebGpuConfig: KernelConfig = {
  kernelName: SCALED_CONV2D,
  backendName: 'webgpu',
  kernelFunc: scaledConv2dWebGpu as unknown as KernelFunc,
};
