import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  broadcast_util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { GemmProgram, runGemm } from './gemm-program';
import { matrixOperand } from './matrix-operand';
import { runStockKernel } from './stock-kernels';

/** Named for tfjs' profiler. */
export class ThBatchMatMulProgram extends GemmProgram {}

const product = (s: number[]) => s.reduce((a, b) => a * b, 1);

/**
 * BatchMatMul (tf.matMul, dense layers and their gradients): C[b] = op(A[b]) · op(B[b]) with
 * op = transpose when asked, read in place (a transposed operand is just the other memory
 * order). Batch dimensions must be equal or one side's all 1 (broadcast); other broadcasts,
 * non-float32 and empty tensors run tfjs' kernel.
 */
export function batchMatMulWebGpu(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2 || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return runStockKernel('BatchMatMul', args);
  }
  const m = (transposeA ? a.shape[ra - 1] : a.shape[ra - 2]) as number;
  const k = (transposeA ? a.shape[ra - 2] : a.shape[ra - 1]) as number;
  const kB = (transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) as number;
  const n = (transposeB ? b.shape[rb - 2] : b.shape[rb - 1]) as number;
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  const outerShape = broadcast_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  const batch = product(outerShape);
  const simpleBroadcast =
    (batchA === batch || batchA === 1) &&
    (batchB === batch || batchB === 1) &&
    (batchA === batchB || Math.min(batchA, batchB) === 1);
  if (k !== kB || !simpleBroadcast || m * n * k * batch === 0 || batch * m * n > 2 ** 30) {
    return runStockKernel('BatchMatMul', args);
  }
  return runGemm(args.backend as WebGPUBackend, {
    problem: { m, n, k, batch },
    a: matrixOperand({
      buffer: 'a',
      prefix: 'A',
      rows: m,
      k,
      order: transposeA ? 'k-major' : 'row-major',
      batches: batchA,
    }),
    b: matrixOperand({
      buffer: 'b',
      prefix: 'B',
      rows: n,
      k,
      order: transposeB ? 'row-major' : 'k-major',
      batches: batchB,
    }),
    inputs: [a, b],
    outputShape: [...outerShape, m, n],
    program: ThBatchMatMulProgram,
    bIsWeight: true,
  });
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'webgpu',
  kernelFunc: batchMatMulWebGpu as unknown as KernelFunc,
};
