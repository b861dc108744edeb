import * as tf from '@tensorflow/tfjs-core';

/**
 * Non-saturating generator loss (Goodfellow et al. 2014, the form StyleGAN2 and LSR use):
 *
 *   L_G = mean_n softplus(-D(x̂_n))
 *
 * i.e. -log sigmoid(D(x̂)), which keeps gradients alive when D confidently rejects the fakes.
 * `fakeLogits` are D's outputs on generated images, [N,1] (or any shape; averaged over all).
 */
export function generatorAdversarialLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(fakeLogits))) as tf.Scalar);
}
