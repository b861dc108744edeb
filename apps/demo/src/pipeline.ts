/**
 * The demo's reenactment pipeline, platform-neutral so that the browser page and the Node
 * reference (the e2e test) run byte-identical preprocessing:
 *  - a shot (photo + its 68 landmarks) and a driver (68 landmarks) are rendered as LSR landmark
 *    images at the photo's own size (the stroke width is defined at 224², spec Appendix A), then
 *    photo and landmark image are resized to the model resolution with @th/data's resizeImage
 *    (the resampler training data is prepared with);
 *  - encode: E^s/E^l over the K shots, averaged (LsrModel.encode);
 *  - synthesize: G^l then G^I from the driver's landmark image (LsrModel.synthesize).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type Landmarks68,
  type RgbImage,
  renderLandmarkImage,
  resizeImage,
  toSignedUnit,
  validateLandmarks,
} from '@th/data';
import type { Latents, LsrModel } from '@th/models';
import { colourLayout } from './layout-colours';

export interface Shot {
  image: RgbImage;
  landmarks: Landmarks68;
}

export interface RenderedFrame {
  /** model output as RGBA, size×size, [-1, 1] mapped to 0..255 (clipped) */
  image: Uint8ClampedArray;
  /** argmax of the layout, coloured per class, RGBA size×size */
  layout: Uint8ClampedArray;
  /** the driver's landmark image at model size, RGBA */
  driver: Uint8ClampedArray;
  size: number;
}

/** Resize an RGB image to size×size (@th/data's resizeImage; same code in Node and browser). */
export function resizeTo(image: RgbImage, size: number): RgbImage {
  return resizeImage(image, size, size);
}

/** LSR landmark image of `landmarks` drawn on a width×height canvas, then resized to size². */
export function landmarkImageAt(
  landmarks: Landmarks68,
  width: number,
  height: number,
  size: number,
): RgbImage {
  validateLandmarks(landmarks, 'landmarkImageAt');
  return resizeTo(renderLandmarkImage(landmarks, { width, height }), size);
}

function signed4d(images: RgbImage[]): tf.Tensor4D {
  const size = images[0]?.width ?? 0;
  const all = new Float32Array(images.length * size * size * 3);
  for (const [i, im] of images.entries()) all.set(toSignedUnit(im), i * size * size * 3);
  return tf.tensor4d(all, [images.length, size, size, 3]);
}

/** z^s, z^l of one identity from K shots (caller disposes the result). */
export function encodeShots(model: LsrModel, shots: Shot[]): Latents {
  if (shots.length === 0) throw new Error('encodeShots: need at least one source photo');
  const size = model.config.resolution;
  const photos = shots.map((s) => resizeTo(s.image, size));
  const marks = shots.map((s) => landmarkImageAt(s.landmarks, s.image.width, s.image.height, size));
  return tf.tidy(() => {
    const k = shots.length;
    const shots5 = tf.reshape(signed4d(photos), [1, k, size, size, 3]) as tf.Tensor5D;
    const marks5 = tf.reshape(signed4d(marks), [1, k, size, size, 3]) as tf.Tensor5D;
    const latents = model.encode(shots5, marks5);
    return { zs: latents.zs, zl: latents.zl };
  });
}

/** RGB (uint8) → RGBA with opaque alpha. */
export function rgbToRgba(image: RgbImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(image.width * image.height * 4);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    out[j] = image.data[i]!;
    out[j + 1] = image.data[i + 1]!;
    out[j + 2] = image.data[i + 2]!;
    out[j + 3] = 255;
  }
  return out;
}

/** One output frame for a driver's landmarks given on a width×height frame. */
export async function renderFrame(
  model: LsrModel,
  latents: Latents,
  driver: Landmarks68,
  width: number,
  height: number,
): Promise<RenderedFrame> {
  const size = model.config.resolution;
  const driverImage = landmarkImageAt(driver, width, height, size);
  const [pixels, classes] = tf.tidy(() => {
    const target = signed4d([driverImage]);
    const out = model.synthesize(latents, target);
    // [-1, 1] → [0, 255]: (v + 1) · 127.5, clipped, as uint8 would store it.
    const rgb = tf.clipByValue(tf.mul(tf.add(out.image, 1), 127.5), 0, 255);
    return [rgb, tf.argMax(out.layoutLogits, 3)] as const;
  });
  try {
    const rgb = (await pixels.data()) as Float32Array;
    const cls = (await classes.data()) as Int32Array;
    const image = new Uint8ClampedArray(size * size * 4);
    for (let p = 0; p < size * size; p++) {
      image[p * 4] = Math.round(rgb[p * 3]!);
      image[p * 4 + 1] = Math.round(rgb[p * 3 + 1]!);
      image[p * 4 + 2] = Math.round(rgb[p * 3 + 2]!);
      image[p * 4 + 3] = 255;
    }
    return { image, layout: colourLayout(cls), driver: rgbToRgba(driverImage), size };
  } finally {
    pixels.dispose();
    classes.dispose();
  }
}
