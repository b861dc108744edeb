import * as tf from '@tensorflow/tfjs-core';

/** ImageNet channel means in BGR order, as subtracted by Keras' "caffe" preprocessing. */
export const IMAGENET_BGR_MEAN: readonly [number, number, number] = [103.939, 116.779, 123.68];

/**
 * Keras `imagenet_utils.preprocess_input(mode='caffe')` applied to images in [-1, 1]:
 *
 *   y = bgr((x + 1) / 2 * 255) - (103.939, 116.779, 123.68)
 *
 * i.e. back to 0..255, RGB reversed to BGR, ImageNet mean subtracted, no scaling. LSR feeds both
 * VGG19 and VGG-Face this way (spec §c.2; §h-Q11: ImageNet mean for VGG-Face too).
 */
export function caffePreprocess(images: tf.Tensor4D): tf.Tensor4D {
  if (images.rank !== 4 || images.shape[3] !== 3) {
    throw new Error(`caffePreprocess: expected RGB images [N,H,W,3], got shape [${images.shape}]`);
  }
  return tf.tidy(() => {
    const pixels = tf.mul(tf.add(images, 1), 127.5);
    const bgr = tf.reverse(pixels, 3);
    return tf.sub(bgr, tf.tensor1d([...IMAGENET_BGR_MEAN])) as tf.Tensor4D;
  });
}
