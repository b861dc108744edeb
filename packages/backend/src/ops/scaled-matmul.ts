import * as tf from '@tensorflow/tfjs-core';
import { SCALED_MATMUL } from '../fused/equalized-lr-kernels';
import { webgpuInferenceKernels } from '../webgpu/runtime/fused-ops';

/**
 * y = x·(scale·w) + bias, x [M, K], w [K, N], bias [N] or null: an equalized-learning-rate dense
 * layer (@th/layers' EqDense). Outside a gradient tape on WebGPU with @th's runtime it is one
 * GEMM with scale and bias in its epilogue (ThScaledMatMul); elsewhere, and under a tape, the
 * tfjs ops Multiply, MatMul and Add (differentiable to every order). The two agree to float
 * rounding (the fused one scales the sums instead of the weights).
 */
export function scaledMatMul(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  scale: number,
  bias: tf.Tensor1D | null,
): tf.Tensor2D {
  if (!Number.isFinite(scale)) throw new Error(`scaledMatMul: scale must be finite, got ${scale}`);
  const [, n] = w.shape;
  const fusable =
    webgpuInferenceKernels() &&
    x.rank === 2 &&
    w.rank === 2 &&
    x.shape[1] === w.shape[0] &&
    [x, w, bias].every((t) => t === null || t.dtype === 'float32') &&
    (!bias || (bias.rank === 1 && bias.shape[0] === n));
  if (fusable) {
    const inputs: Record<string, tf.Tensor> = bias ? { x, w, bias } : { x, w };
    return tf.engine().runKernel(SCALED_MATMUL, inputs, { scale } as never) as tf.Tensor2D;
  }
  return tf.tidy((): tf.Tensor2D => {
    const y: tf.Tensor2D = tf.matMul(x, tf.mul(w, scale) as tf.Tensor2D);
    return bias ? (tf.add(y, bias) as tf.Tensor2D) : y;
  });
}
