import * as tf from '@tensorflow/tfjs-core';
import {
  type ConvActivation,
  SCALED_CONV2D,
  type ScaledConv2dAttrs,
} from '../fused/equalized-lr-kernels';
import { scaledConv2dFused } from '../wasm/scaled-conv2d';
import { webgpuInferenceKernels } from '../webgpu/runtime/fused-ops';
import { leakyRelu } from './activations';

export type { ConvActivation };

/** What follows the convolution and its bias, in this order. */
export interface ConvEpilogue {
  /** Default 'linear' (none). */
  activation?: ConvActivation;
  /** Slope of leaky ReLU (default 0.2). */
  alpha?: number;
  /** Added last, shaped like the output ([N, H, W, C_out]): a residual block's skip. */
  residual?: tf.Tensor4D | null;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * y = act(conv2d(x, scale·w, stride 1, 'same') + bias) + residual: an equalized-learning-rate
 * convolution (@th/layers' EqConv2d) with what commonly follows it in a block.
 *
 * Outside a gradient tape (inference) it runs fused where a kernel exists: on WebGPU with @th's
 * runtime as one implicit-GEMM dispatch with scale, bias, activation and residual applied as the
 * results are stored (ThScaledConv2D; ~4 kernels fewer per conv), on wasm as @th's SIMD conv
 * with scale and bias in its epilogue, then the rest op by op. Under a tape, and on other
 * backends, it composes tfjs ops (Multiply, Conv2D, Add, relu or @th's leakyRelu, Add), which
 * are differentiable to every order. The two forms agree to float rounding (the fused one
 * scales the sums instead of the weights).
 */
export function scaledConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  scale: number,
  bias: tf.Tensor1D | null,
  epilogue: ConvEpilogue = {},
): tf.Tensor4D {
  const activation = epilogue.activation ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu' && activation !== 'lrelu')
    throw new Error(
      `scaledConv2d: activation must be 'linear', 'relu' or 'lrelu', got "${activation as string}"`,
    );
  const alpha = epilogue.alpha ?? 0.2;
  if (!Number.isFinite(alpha) || !Number.isFinite(scale))
    throw new Error(`scaledConv2d: scale and alpha must be finite, got ${scale} and ${alpha}`);
  const residual = epilogue.residual ?? null;
  const fused = webgpuFused(x, filter, scale, bias, activation, alpha, residual);
  if (fused) return fused;
  return tf.tidy(() => {
    let y =
      scaledConv2dFused(x, filter, scale, bias) ??
      (() => {
        const conv = tf.conv2d(x, tf.mul(filter, scale) as tf.Tensor4D, 1, 'same');
        return bias ? (tf.add(conv, bias) as tf.Tensor4D) : conv;
      })();
    if (activation === 'relu') y = tf.relu(y);
    if (activation === 'lrelu') y = leakyRelu(y, alpha);
    return residual ? (tf.add(y, residual) as tf.Tensor4D) : y;
  });
}

/** The one-dispatch WebGPU kernel, or null where it does not apply. */
function webgpuFused(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  scale: number,
  bias: tf.Tensor1D | null,
  activation: ConvActivation,
  alpha: number,
  residual: tf.Tensor4D | null,
): tf.Tensor4D | null {
  if (!webgpuInferenceKernels()) return null;
  const [kh, kw, ci, co] = filter.shape;
  if (x.rank !== 4 || kh % 2 !== 1 || kw % 2 !== 1 || x.shape[3] !== ci) return null;
  const tensors: tf.Tensor[] = [
    x,
    filter,
    ...(bias ? [bias] : []),
    ...(residual ? [residual] : []),
  ];
  if (tensors.some((t) => t.dtype !== 'float32')) return null;
  if (bias && !sameShape(bias.shape, [co])) return null;
  if (residual && !sameShape(residual.shape, [x.shape[0], x.shape[1], x.shape[2], co])) return null;
  const inputs: Record<string, tf.Tensor> = { x, filter };
  if (bias) inputs.bias = bias;
  if (residual) inputs.residual = residual;
  const attrs: ScaledConv2dAttrs = { scale, activation, alpha };
  return tf.engine().runKernel(SCALED_CONV2D, inputs, attrs as never) as tf.Tensor4D;
}
