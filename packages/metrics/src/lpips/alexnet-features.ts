import * as tf from '@tensorflow/tfjs-core';
import type { LpipsWeights } from './lpips-weights';

/**
 * torchvision AlexNet `features` up to relu5, returning the five ReLU outputs LPIPS taps
 * (64, 192, 384, 256, 256 channels): conv1 11x11/4 pad 2 → relu1 → max pool 3/2 → conv2 5x5 pad
 * 2 → relu2 → max pool 3/2 → conv3 → relu3 → conv4 → relu4 → conv5 → relu5 (3x3 pad 1). Pools
 * are unpadded (floor), as PyTorch's MaxPool2d(3, 2). Input NHWC, already LPIPS-scaled.
 */
export function alexnetRelus(x: tf.Tensor4D, weights: LpipsWeights): tf.Tensor4D[] {
  const taps: tf.Tensor4D[] = [];
  let y = x;
  weights.convs.forEach(({ conv, filter, bias }, n) => {
    if (n === 1 || n === 2) y = tf.maxPool(y, 3, 2, 'valid');
    const p = conv.padding;
    y = tf.fused.conv2d({
      x: y,
      filter,
      bias,
      strides: conv.stride,
      pad: [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ],
      activation: 'relu',
    });
    taps.push(y);
  });
  return taps;
}

/** Smallest input side for which every stage keeps at least one pixel. */
export const ALEXNET_MIN_SIZE = 31;
