import * as tf from '@tensorflow/tfjs-core';
import { MAX_BLUR_SIZE } from './binomial';
import { stridedBlur } from './strided-blur';
import { assertImageBatch, assertInteger } from './validate';

/** Padding modes of `blurPool`. */
export type BlurPadding = 'same' | 'reflect' | 'zero';

export interface BlurPoolOptions {
  /** Binomial filter taps, 1..7 (default 3 = [1,2,1]). */
  filterSize?: number;
  /**
   * 'same' (default): TensorFlow SAME zero padding, output ceil(H/stride); the odd pad pixel goes
   * at the bottom/right (f = 3, s = 2: even H pads 0/1, odd H pads 1/1). This is LSR's blur-pool.
   * 'reflect' / 'zero': antialiased-cnns padding, floor((f-1)/2) before and ceil((f-1)/2) after,
   * mirrored without repeating the edge, or zeros.
   */
  padding?: BlurPadding;
  /** Subsampling factor (default 2). */
  stride?: number;
}

/**
 * Anti-aliased down-sampling (BlurPool; Zhang, "Making Convolutional Networks Shift-Invariant
 * Again", ICML 2019; LSR's `blur_pool`): y = subsample_s(pad(x) * k) with the normalised
 * binomial kernel k = r r^T / sum(r)^2 applied per channel. With defaults (f = 3, 'same', s = 2)
 * an HxW input gives ceil(H/2) x ceil(W/2).
 *
 * Gradients of all orders are exact and use only forward kernels (see strided-blur.ts), so it is
 * safe inside R1/R2 penalties on every backend; 'reflect' uses tf.mirrorPad, whose gradient @th
 * replaces with a correct one at `init()`.
 */
export function blurPool(x: tf.Tensor4D, opts: BlurPoolOptions = {}): tf.Tensor4D {
  const size = opts.filterSize ?? 3;
  const stride = opts.stride ?? 2;
  const padding = opts.padding ?? 'same';
  assertImageBatch('blurPool', x);
  if (!Number.isInteger(size) || size < 1 || size > MAX_BLUR_SIZE) {
    throw new Error(`blurPool: filterSize must be an integer in 1..${MAX_BLUR_SIZE}, got ${size}`);
  }
  assertInteger('blurPool', 'stride', stride, 1);
  const [, h, w] = x.shape;
  if (padding === 'same') {
    const [top, bottom] = samePads(h, size, stride);
    const [left, right] = samePads(w, size, stride);
    return stridedBlur(x, { size, stride, top, bottom, left, right });
  }
  const before = Math.floor((size - 1) / 2);
  const after = Math.ceil((size - 1) / 2);
  if (padding === 'zero')
    return stridedBlur(x, { size, stride, top: before, bottom: after, left: before, right: after });
  if (padding !== 'reflect')
    throw new Error(
      `blurPool: padding must be 'same', 'reflect' or 'zero', got '${String(padding)}'`,
    );
  if (after >= h || after >= w) {
    throw new Error(
      `blurPool: 'reflect' padding of ${after} needs H and W > ${after}, got ${h}x${w}`,
    );
  }
  const padded = tf.mirrorPad(
    x,
    [
      [0, 0],
      [before, after],
      [before, after],
      [0, 0],
    ],
    'reflect',
  );
  return stridedBlur(padded, { size, stride, top: 0, bottom: 0, left: 0, right: 0 });
}

/** TF 'SAME': output ceil(n/s); total pad (out-1)*s + f - n, the smaller half first. */
function samePads(n: number, size: number, stride: number): [number, number] {
  const out = Math.ceil(n / stride);
  const total = Math.max((out - 1) * stride + size - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
