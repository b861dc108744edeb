import * as tf from '@tensorflow/tfjs-core';
import { webgpuInferenceKernels } from '../webgpu/runtime/fused-ops';
import { fusedAvgPool2 } from '../webgpu/runtime/kernels/avg-pool';
import { assertImageBatch, assertInteger } from './validate';

/**
 * Exact block mean: y[i, j] = mean of the factor x factor block x[i*f .. i*f+f-1, j*f .. j*f+f-1]
 * (used for SPADE's layout pyramid). H and W must be divisible by the factor.
 *
 * Written as reshape + mean, never AvgPool: AvgPool's gradient kernel has no gradient of its
 * own in tfjs, whereas Mean's gradient (broadcast of dy / f^2) is linear and safe to any order.
 * The reshapes keep memory order, so no transpose is needed.
 */
export function boxDownsample(x: tf.Tensor4D, factor: number): tf.Tensor4D {
  assertImageBatch('boxDownsample', x);
  assertInteger('boxDownsample', 'factor', factor, 1);
  const [n, h, w, c] = x.shape;
  if (h % factor !== 0 || w % factor !== 0) {
    throw new Error(`boxDownsample: H and W (${h}x${w}) must be divisible by the factor ${factor}`);
  }
  if (factor === 1) return x;
  const ho = h / factor;
  const wo = w / factor;
  return tf.tidy(() => {
    // [n*ho, f, wo, f*c]: axis 1 walks rows inside a block, the last axis holds (column, channel).
    const rowsMean = tf.mean(tf.reshape(x, [n * ho, factor, wo, factor * c]), 1);
    const blockMean = tf.mean(tf.reshape(rowsMean, [n * ho * wo, factor, c]), 1);
    return tf.reshape(blockMean, [n, ho, wo, c]);
  });
}

/**
 * 2x2 average pooling, stride 2, VALID (a trailing odd row/column is dropped: 7 -> 3), equal to
 * tf.avgPool(x, 2, 2, 'valid') but with gradients of all orders (see boxDownsample). In WebGPU
 * inference (no gradient tape) it is one kernel.
 */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  assertImageBatch('avgPool2', x);
  const [n, h, w, c] = x.shape;
  if (h < 2 || w < 2) throw new Error(`avgPool2: H and W must be >= 2, got ${h}x${w}`);
  if (x.dtype === 'float32' && webgpuInferenceKernels()) return fusedAvgPool2(x);
  const he = h - (h % 2);
  const we = w - (w % 2);
  return tf.tidy(() =>
    boxDownsample(he === h && we === w ? x : tf.slice(x, [0, 0, 0, 0], [n, he, we, c]), 2),
  );
}
