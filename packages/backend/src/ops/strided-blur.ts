import * as tf from '@tensorflow/tfjs-core';
import { binomialKernel } from './binomial';
import { padOrCrop, zeroInsert } from './pad-axis';

/** Geometry of one strided depthwise blur: filter size, stride and zero padding per side. */
export interface BlurGeometry {
  size: number;
  stride: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * The linear map B(x) = subsample_s(k * zeropad(x)) (depthwise binomial blur k, stride s) and
 * its adjoint B^T, each a `tf.customGrad` whose gradient is the other one. Because B is linear,
 * d<g, B(x)>/dx = B^T(g) and d<x, B^T(g)>/dg = B(x): the pair closes under differentiation, so
 * gradients of every order are exact and only use forward kernels (depthwiseConv2d, pad, slice,
 * reshape). This is the pattern of StyleGAN2's upfirdn2d; it avoids tfjs' depthwise backprop
 * kernels (which have no gradient, and which wasm lacks altogether).
 *
 * B^T(g) = crop_pad(k (x) zeroInsert_s(g)) : insert s-1 zeros between samples, pad to the
 * full-correlation extent, correlate with the (flip-symmetric) kernel, and crop the zero padding.
 */
export function stridedBlur(x: tf.Tensor4D, geo: BlurGeometry): tf.Tensor4D {
  const [, h, w] = x.shape;
  const op = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => {
    const value = blurForward(input as tf.Tensor4D, geo);
    return { value, gradFunc: (dy: tf.Tensor4D) => stridedBlurAdjoint(dy, geo, h, w) };
  });
  return op(x) as tf.Tensor4D;
}

/** B^T for an input of spatial size (h, w); see `stridedBlur`. */
export function stridedBlurAdjoint(
  g: tf.Tensor4D,
  geo: BlurGeometry,
  h: number,
  w: number,
): tf.Tensor4D {
  const op = tf.customGrad((input: tf.Tensor | tf.GradSaveFunc) => {
    const value = blurAdjointForward(input as tf.Tensor4D, geo, h, w);
    return { value, gradFunc: (dy: tf.Tensor4D) => stridedBlur(dy, geo) };
  });
  return op(g) as tf.Tensor4D;
}

function blurForward(x: tf.Tensor4D, geo: BlurGeometry): tf.Tensor4D {
  const kernel = binomialKernel(geo.size, x.shape[3]);
  const padded = padOrCrop(x, geo.top, geo.bottom, geo.left, geo.right);
  return tf.depthwiseConv2d(padded, kernel, geo.stride, 'valid');
}

function blurAdjointForward(g: tf.Tensor4D, geo: BlurGeometry, h: number, w: number): tf.Tensor4D {
  const { size: f, stride: s } = geo;
  const kernel = binomialKernel(f, g.shape[3]);
  // Extent of the stride-1 valid correlation over the padded input; the forward kept every s-th.
  const validH = h + geo.top + geo.bottom - f + 1;
  const validW = w + geo.left + geo.right - f + 1;
  const spread = zeroInsert(g, s);
  // Full correlation pads f-1 on each side; the crop of the zero padding is folded in.
  const framed = padOrCrop(
    spread,
    f - 1 - geo.top,
    validH - spread.shape[1] + f - 1 - geo.bottom,
    f - 1 - geo.left,
    validW - spread.shape[2] + f - 1 - geo.right,
  );
  return tf.depthwiseConv2d(framed, kernel, 1, 'valid');
}
