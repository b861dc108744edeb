import * as tf from '@tensorflow/tfjs-core';
import { assertHwcImage, type HwcImage } from '../image';
import type { FeatureNetwork, NamedArrays } from '../networks';
import { inceptionPool3 } from './inception-v3';
import {
  disposeInceptionWeights,
  INCEPTION_TENSORS,
  prepareInceptionWeights,
} from './inception-weights';
import { resizePilBicubic } from './pil-bicubic-resize';
import { readNetworkArrays } from './safetensors-arrays';

/** Side of the square images the FID Inception sees. */
export const FID_INPUT_SIZE = 299;

/** A loaded FID Inception: {@link FeatureNetwork} plus batching and cleanup. */
export interface FidInceptionNetwork extends FeatureNetwork {
  /** pool_3 features of several images, one Float32Array (2048) each. */
  featuresBatch(images: readonly HwcImage[]): Promise<Float32Array[]>;
  dispose(): void;
}

/**
 * FID's preprocessing (docs/design.md#metric-fid): an 8-bit RGB image is resized to 299 x 299 with
 * Pillow's
 * bicubic filter (skipped when it is 299 x 299 already), then mapped 0..255 → [−1, 1] by
 * x / 127.5 − 1. Returns HWC float32.
 */
export function fidInputPixels(image: HwcImage): Float32Array {
  assertHwcImage(image, 'FID image');
  if (image.channels !== 3) throw new Error(`FID image: needs 3 channels, got ${image.channels}`);
  const sized =
    image.height === FID_INPUT_SIZE && image.width === FID_INPUT_SIZE
      ? image
      : resizePilBicubic(image, FID_INPUT_SIZE, FID_INPUT_SIZE);
  const out = new Float32Array(sized.data.length);
  for (let i = 0; i < out.length; i++) out[i] = sized.data[i]! / 127.5 - 1;
  return out;
}

/**
 * Builds the FID feature network from PyTorch-layout tensors (see `INCEPTION_TENSORS`); `name`
 * identifies the weights in reports. Platform-neutral; needs an initialised tfjs backend.
 */
export function createFidInception(
  arrays: NamedArrays,
  source: string,
  name = 'FID Inception-v3 pool_3 (pytorch-fid 2015-12-05 weights)',
): FidInceptionNetwork {
  const weights = prepareInceptionWeights(arrays, source);
  const featuresBatch = async (images: readonly HwcImage[]): Promise<Float32Array[]> => {
    if (images.length === 0) return [];
    const pixels = images.map(fidInputPixels);
    const stacked = new Float32Array(pixels.length * pixels[0]!.length);
    pixels.forEach((p, i) => {
      stacked.set(p, i * p.length);
    });
    const pooled = tf.tidy(() =>
      inceptionPool3(
        tf.tensor4d(stacked, [images.length, FID_INPUT_SIZE, FID_INPUT_SIZE, 3]),
        weights,
      ),
    );
    const values = (await pooled.data()) as Float32Array;
    pooled.dispose();
    return images.map((_, i) => values.slice(i * 2048, (i + 1) * 2048));
  };
  return {
    name,
    metric: 'fid',
    inputSize: FID_INPUT_SIZE,
    featuresBatch,
    async features(image: HwcImage) {
      return (await featuresBatch([image]))[0]!;
    },
    dispose: () => disposeInceptionWeights(weights),
  };
}

/** {@link createFidInception} from the bytes of a safetensors file (`source` names it in errors). */
export function fidInceptionFromSafetensors(
  bytes: Uint8Array,
  source: string,
  name?: string,
): FidInceptionNetwork {
  return createFidInception(
    readNetworkArrays(bytes, source, 'fid', INCEPTION_TENSORS),
    source,
    name,
  );
}
