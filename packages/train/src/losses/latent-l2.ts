import * as tf from '@tensorflow/tfjs-core';

/**
 * Latent L2 regulariser (docs/design.md#loss-stage1, docs/design.md#loss-stage2, weight 1 for z^s
 * and z^l): mean over examples and
 * the 512 latent dimensions of z², keeping the encoders' embeddings near the origin.
 */
export function latentL2Loss(z: tf.Tensor): tf.Scalar {
  if (z.size === 0) throw new Error(`latentL2Loss: empty latent of shape [${z.shape}]`);
  return tf.tidy(() => tf.mean(tf.square(z)) as tf.Scalar);
}
