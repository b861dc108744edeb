import * as tf from '@tensorflow/tfjs-core';

/**
 * A conditional discriminator: images concatenated with their landmark images on the channel
 * axis, [N,H,W,C_img + C_lmk], to one logit per example [N,1] (LSR's D,
 * docs/design.md#discriminator).
 */
export type Discriminator = (imageWithLandmarks: tf.Tensor4D) => tf.Tensor2D;

/** D applied to image ⊕ landmarks (channel concat, image first, as LSR feeds D). */
export function discriminate(
  d: Discriminator,
  images: tf.Tensor4D,
  landmarks: tf.Tensor4D,
): tf.Tensor2D {
  if (
    images.rank !== 4 ||
    landmarks.rank !== 4 ||
    images.shape.slice(0, 3).join() !== landmarks.shape.slice(0, 3).join()
  ) {
    throw new Error(
      `discriminate: images [${images.shape}] and landmarks [${landmarks.shape}] must agree in N, H, W`,
    );
  }
  const logits = d(tf.concat([images, landmarks], 3));
  if (logits.rank !== 2 || logits.shape[0] !== images.shape[0] || logits.shape[1] !== 1) {
    throw new Error(
      `discriminator must return logits [N,1] = [${images.shape[0]},1], got [${logits.shape}]`,
    );
  }
  return logits;
}
