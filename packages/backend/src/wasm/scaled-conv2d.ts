import * as tf from '@tensorflow/tfjs-core';
import { SCALED_CONV2D } from '../fused/equalized-lr-kernels';
import { recordingGradients } from '../util/gradient-tape';
import { convForward, filterPanels } from './simd/conv-driver';
import { kernelRuntimeOf } from './simd/kernel-runtime';
import { strideOnePads } from './simd/stride-one';
import { winogradApplies, winogradConv3x3 } from './simd/winograd-driver';

/**
 * y = conv2d(x, scale·w, stride 1, 'same') + bias as one wasm kernel: @th's SIMD convolution
 * with the scale and bias applied to the accumulators before they are stored, instead of three
 * tfjs kernels (Multiply on the weights, Conv2D, Add). The form of an equalized-learning-rate
 * convolution (@th/layers' EqConv2d). 3×3 convs under the forward conv's rule
 * (`winogradApplies`) run by Winograd, the scale folded into the transformed filter and the bias
 * added in the output transform.
 */
function scaledConv2dWasm(args: {
  inputs: { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
  backend: tf.KernelBackend;
  attrs: { scale: number };
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter, bias } = inputs;
  const runtime = kernelRuntimeOf(backend);
  if (!runtime) throw new Error(`${SCALED_CONV2D}: the wasm kernel runtime is not running`);
  for (const t of [x, filter, bias]) {
    if (t && t.dtype !== 'float32')
      throw new Error(`${SCALED_CONV2D}: float32 only, got ${t.dtype}`);
  }
  const xShape = x.shape as [number, number, number, number];
  const wShape = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(xShape, wShape, 1, 1, 'same');
  const pads = strideOnePads(info);
  if (!pads)
    throw new Error(
      `${SCALED_CONV2D}: x [${xShape}] and w [${wShape}] are not a stride-1 'same' conv`,
    );
  const co = wShape[3];
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== co)) {
    throw new Error(`${SCALED_CONV2D}: bias [${bias.shape}] must be [${co}]`);
  }
  const y = runtime.backend.makeOutput([xShape[0], info.outHeight, info.outWidth, co], 'float32');
  const pixels = xShape[0] * info.outHeight * info.outWidth;
  if (runtime.winograd && winogradApplies(wShape[0], wShape[1], xShape[3], co, pixels)) {
    const epilogue = { scale: attrs.scale, bias: bias ? runtime.address(bias) : 0 };
    const [xAt, wAt, yAt] = [runtime.address(x), runtime.address(filter), runtime.address(y)];
    winogradConv3x3(runtime, xAt, xShape, wAt, 'forward', co, pads, yAt, epilogue);
    return y;
  }
  const padded = runtime.allocate(Math.ceil(co / 8) * 32, true);
  const panels = filterPanels(runtime, runtime.address(filter), wShape);
  try {
    if (bias) {
      const heap = runtime.heapF32();
      heap.copyWithin(padded / 4, runtime.address(bias) / 4, runtime.address(bias) / 4 + co);
    }
    const geometry = { kh: wShape[0], kw: wShape[1], co };
    const epilogue = { scale: attrs.scale, bias: padded };
    convForward(
      runtime,
      runtime.address(x),
      xShape,
      panels,
      geometry,
      pads,
      runtime.address(y),
      epilogue,
    );
  } finally {
    runtime.free(panels);
    runtime.free(padded);
  }
  return y;
}

export const scaledConv2dConfig: tf.KernelConfig = {
  kernelName: SCALED_CONV2D,
  backendName: 'wasm',
  kernelFunc: scaledConv2dWasm as unknown as tf.KernelFunc,
};

/**
 * conv2d(x, scale·w, 1, 'same') + bias in one kernel, or null where that kernel does not apply
 * (another backend, a gradient tape recording, an even filter size): callers then use the
 * op-by-op form. Inference only by design: the fused kernel has no gradient.
 */
export function scaledConv2dFused(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  scale: number,
  bias: tf.Tensor1D | null,
): tf.Tensor4D | null {
  if (tf.getBackend() !== 'wasm' || recordingGradients()) return null;
  if (tf.getKernel(SCALED_CONV2D, 'wasm') === undefined || !kernelRuntimeOf(tf.backend()))
    return null;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || (bias && bias.dtype !== 'float32'))
    return null;
  if (filter.shape[0] % 2 !== 1 || filter.shape[1] % 2 !== 1 || x.shape[3] !== filter.shape[2])
    return null;
  const inputs: Record<string, tf.Tensor> = bias ? { x, filter, bias } : { x, filter };
  return tf.engine().runKernel(SCALED_CONV2D, inputs, { scale } as never) as tf.Tensor4D;
}
