import * as tf from '@tensorflow/tfjs-core';
import { assertSameShape } from './validate';

/**
 * Logistic discriminator loss (Goodfellow et al. 2014; docs/design.md#loss-stage2):
 *
 *   L_D = mean_n [ softplus(-D(x_n)) + softplus(D(x̂_n)) ]
 *
 * = binary cross-entropy with label 1 for reals and 0 for fakes, written through softplus so it
 * stays finite for large logits. Real and fake batches must have the same size (per-example sum).
 */
export function discriminatorLogisticLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  assertSameShape('discriminatorLogisticLoss (real vs fake logits)', realLogits, fakeLogits);
  return tf.tidy(
    () => tf.mean(tf.add(tf.softplus(tf.neg(realLogits)), tf.softplus(fakeLogits))) as tf.Scalar,
  );
}
