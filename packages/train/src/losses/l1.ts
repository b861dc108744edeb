import * as tf from '@tensorflow/tfjs-core';
import { assertSameShape } from './validate';

/**
 * L1 reconstruction loss (docs/design.md#loss-stage2, weight 1): mean |x̂ − x| over every element,
 * in the
 * images' own units ([-1,1] for LSR). Equal per-example sizes make the global mean the mean of
 * per-example means.
 */
export function l1Loss(predicted: tf.Tensor, target: tf.Tensor): tf.Scalar {
  assertSameShape('l1Loss', predicted, target);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(predicted, target))) as tf.Scalar);
}
