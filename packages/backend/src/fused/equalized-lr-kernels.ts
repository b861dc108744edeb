/**
 * The fused equalized-learning-rate convolution kernel (wasm: wasm/scaled-conv2d.ts, WebGPU:
 * webgpu/scaled-conv2d.ts; the op that picks it: ops/scaled-conv2d.ts):
 *
 *   y = act(conv2d(x, w, stride 1, 'same') · scale + bias) + residual
 *
 * inputs { x, filter, bias?, residual? }. The wasm kernel takes scale and bias only.
 */
export const SCALED_CONV2D = 'ThScaledConv2D';

/**
 * The fused equalized-learning-rate dense kernel (WebGPU: webgpu/scaled-matmul.ts; the op:
 * ops/scaled-matmul.ts): y = x·w · scale + bias, x [M, K], w [K, N]; inputs { x, w, bias? },
 * attrs { scale }.
 */
export const SCALED_MATMUL = 'ThScaledMatMul';

/** Activation of the fused conv: none, ReLU, or leaky ReLU with slope `alpha`. */
export type ConvActivation = 'linear' | 'relu' | 'lrelu';

export interface ScaledConv2dAttrs {
  scale: number;
  /** Default 'linear' (WebGPU only). */
  activation?: ConvActivation;
  /** Slope of leaky ReLU (WebGPU only). */
  alpha?: number;
}
