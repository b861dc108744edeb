import * as tf from '@tensorflow/tfjs-core';
import type { InceptionWeights } from './inception-weights';

/**
 * BasicConv2d: ReLU(BN(conv(x))) with the batch norm already folded into filter and bias.
 * Stride-1 layers pad (k − 1)/2 ("same"); the strided ones pad nothing ("valid").
 */
export function basicConv(x: tf.Tensor4D, weights: InceptionWeights, name: string): tf.Tensor4D {
  const conv = weights.get(name);
  if (!conv) throw new Error(`Inception: no weights for layer "${name}"`);
  const { stride, padding } = conv.layer;
  const pad = padding[0] === 0 && padding[1] === 0 ? 'valid' : 'same';
  return tf.fused.conv2d({
    x,
    filter: conv.filter,
    strides: stride,
    pad,
    bias: conv.bias,
    activation: 'relu',
  });
}

/**
 * 3x3 stride-1 average pool with zero padding 1 that does NOT count the padding
 * (PyTorch `count_include_pad=False`, TF's SAME average pool): each output is the mean of the
 * in-image pixels of its window, so border outputs divide by 6 or 4 instead of 9. Written as a
 * padded 3x3 sum divided by the per-position count, which does not depend on how a backend's
 * own avgPool treats padding.
 */
export function avgPool3x3ExcludePad(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const padded = tf.pad(x, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    const sum = tf.mul(tf.avgPool(padded, 3, 1, 'valid'), 9);
    const counts = new Float32Array(h * w);
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        counts[i * w + j] =
          (Math.min(i + 1, h - 1) - Math.max(i - 1, 0) + 1) *
          (Math.min(j + 1, w - 1) - Math.max(j - 1, 0) + 1);
    return tf.div(sum, tf.tensor4d(counts, [1, h, w, 1])) as tf.Tensor4D;
  });
}

/** 3x3 stride-1 max pool with padding 1 (padding never wins: PyTorch pads max pools with −∞). */
export function maxPool3x3Same(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 3, 1, 'same');
}

/** 3x3 stride-2 max pool without padding (the stem and the reduction blocks). */
export function maxPool3x3Stride2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 3, 2, 'valid');
}

/** Concatenates branch outputs along channels, in the order the network defines. */
export function concatChannels(branches: tf.Tensor4D[]): tf.Tensor4D {
  return tf.concat(branches, 3);
}
