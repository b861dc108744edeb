import * as tf from '@tensorflow/tfjs-core';

/** ImageNet channel means in BGR order, as subtracted by Keras' "caffe" preprocessing. */
export const IMAGENET_BGR_MEAN: readonly [number, number, number] = [103.939, 116.779, 123.68];

/**
 * VGG-Face (Parkhi et al. 2015) training-set means in BGR order, as keras_vggface's
 * `utils.preprocess_input(x, version=1)` subtracts them for its VGG16 model. LSR's code did NOT use
 * them (docs/design.md#vggface-preprocessing: ImageNet mean for VGG-Face too); offered for users
 * who want the original.
 */
export const VGGFACE_V1_BGR_MEAN: readonly [number, number, number] = [93.594, 104.7624, 129.1863];

/**
 * Keras "caffe" preprocessing applied to images in [-1, 1]:
 *
 *   y = bgr((x + 1) / 2 * 255) - mean
 *
 * i.e. back to 0..255, RGB reversed to BGR, a per-channel BGR mean subtracted, no scaling. The
 * default mean is ImageNet's (`imagenet_utils.preprocess_input(mode='caffe')`), which LSR feeds
 * both VGG19 and VGG-Face (docs/design.md#loss-stage2; docs/design.md#vggface-preprocessing).
 */
export function caffePreprocess(
  images: tf.Tensor4D,
  bgrMean: readonly [number, number, number] = IMAGENET_BGR_MEAN,
): tf.Tensor4D {
  if (images.rank !== 4 || images.shape[3] !== 3) {
    throw new Error(`caffePreprocess: expected RGB images [N,H,W,3], got shape [${images.shape}]`);
  }
  return tf.tidy(() => {
    const pixels = tf.mul(tf.add(images, 1), 127.5);
    const bgr = tf.reverse(pixels, 3);
    return tf.sub(bgr, tf.tensor1d([...bgrMean])) as tf.Tensor4D;
  });
}
