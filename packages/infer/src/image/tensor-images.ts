/**
 * Conversions between @th/data's uint8 RGB images and the networks' [-1, 1] tensors, and the
 * colour-coded layout map. Read-backs are async (`data()`), so browsers never block on the GPU.
 */
import * as tf from '@tensorflow/tfjs-core';
import { colourClassMap, type RgbImage, toSignedUnit } from '@th/data';

/** uint8 RGB images of one size → [N, H, W, 3] in [-1, 1] (v·2/255 − 1, as in training). */
export function imagesToTensor(images: readonly RgbImage[]): tf.Tensor4D {
  const first = images[0];
  if (!first) throw new Error('imagesToTensor: no images');
  const per = first.width * first.height * 3;
  const all = new Float32Array(per * images.length);
  images.forEach((im, i) => {
    if (im.width !== first.width || im.height !== first.height)
      throw new Error(
        `imagesToTensor: image ${i} is ${im.width}x${im.height}, expected ${first.width}x${first.height}`,
      );
    all.set(toSignedUnit(im), i * per);
  });
  return tf.tensor4d(all, [images.length, first.height, first.width, 3]);
}

/**
 * [..., H, W, 3] linear output → int32 0..255: clip to [-1, 1] (docs/design.md#rendering), then
 * (v + 1)·127.5.
 */
export function signedToByteTensor<T extends tf.Tensor>(image: T): T {
  return tf.tidy(() =>
    tf.cast(tf.round(tf.mul(tf.add(tf.clipByValue(image, -1, 1), 1), 127.5)), 'int32'),
  ) as T;
}

/** [..., H, W, k] layout probabilities → int32 class map [..., H, W] (argmax over classes). */
export function layoutClassTensor(layout: tf.Tensor): tf.Tensor {
  return tf.argMax(layout, layout.rank - 1);
}

/** Read an int32 [H, W, 3] byte tensor into an RgbImage. */
export async function readRgb(bytes: tf.Tensor3D): Promise<RgbImage> {
  const [height, width] = bytes.shape;
  return { width, height, data: Uint8Array.from(await bytes.data()) };
}

/** Read an int32 class map and colour it with @th/data's class palette. */
export async function readLayoutColours(classes: tf.Tensor2D): Promise<RgbImage> {
  const [height, width] = classes.shape;
  return colourClassMap(await classes.data(), width, height);
}
