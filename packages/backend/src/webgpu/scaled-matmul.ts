import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { SCALED_MATMUL } from '../fused/equalized-lr-kernels';
import { GemmProgram, runGemm } from './gemm-program';
import { matrixOperand } from './matrix-operand';

/** Named for tfjs' profiler. */
export class ThScaledMatMulProgram extends GemmProgram {}

/**
 * ThScaledMatMul on WebGPU: x·w · scale + bias (an equalized-lr dense layer) as one GEMM whose
 * epilogue applies scale and bias, instead of Multiply on the weights, BatchMatMul and Add.
 * Inference only, like ThScaledConv2D: no gradient.
 */
function scaledMatMulWebGpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, w, bias } = args.inputs as Record<string, TensorInfo | undefined>;
  const { scale } = args.attrs as unknown as { scale: number };
  if (!x || !w || x.shape.length !== 2 || w.shape.length !== 2 || x.shape[1] !== w.shape[0])
    throw new Error(
      `${SCALED_MATMUL}: x [M, K] and w [K, N] required, got [${x?.shape}], [${w?.shape}]`,
    );
  const [m, k] = x.shape as [number, number];
  const n = w.shape[1] as number;
  for (const t of [x, w, bias])
    if (t && t.dtype !== 'float32')
      throw new Error(`${SCALED_MATMUL}: float32 only, got ${t.dtype}`);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== n))
    throw new Error(`${SCALED_MATMUL}: bias [${bias.shape}] must be [${n}]`);
  return runGemm(args.backend as WebGPUBackend, {
    problem: { m, n, k, batch: 1 },
    a: matrixOperand({ buffer: 'a', prefix: 'A', rows: m, k, order: 'row-major', batches: 1 }),
    b: matrixOperand({ buffer: 'b', prefix: 'B', rows: n, k, order: 'k-major', batches: 1 }),
    inputs: [x, w],
    outputShape: [m, n],
    program: ThScaledMatMulProgram,
    bIsWeight: true,
    epilogue: { scale, bias: bias ?? null, activation: 'linear', alpha: 0, residual: null },
  });
}

export const scaledMatMulWebGpuConfig: KernelConfig = {
  kernelName: SCALED_MATMUL,
  backendName: 'webgpu',
  kernelFunc: scaledMatMulWebGpu as unknown as KernelFunc,
};
