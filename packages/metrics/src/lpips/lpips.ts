import * as tf from '@tensorflow/tfjs-core';
import { readNetworkArrays } from '../fid/safetensors-arrays';
import { assertSameShape, type HwcImage } from '../image';
import type { NamedArrays, PerceptualDistance } from '../networks';
import { ALEXNET_MIN_SIZE, alexnetRelus } from './alexnet-features';
import {
  disposeLpipsWeights,
  LPIPS_TENSORS,
  type LpipsWeights,
  prepareLpipsWeights,
} from './lpips-weights';

/** LPIPS' ScalingLayer constants (per RGB channel), applied to inputs in [−1, 1]. */
export const LPIPS_SHIFT = [-0.03, -0.088, -0.188] as const;
export const LPIPS_SCALE = [0.458, 0.448, 0.45] as const;
/** Added to the channel norm before dividing (LPIPS' `normalize_tensor`). */
export const LPIPS_NORM_EPS = 1e-10;

/**
 * LPIPS v0.1 (Zhang et al. 2018, `lpips.LPIPS(net='alex', version='0.1')`) for NHWC batches in
 * [−1, 1]: both inputs are scaled per channel, (x − shift)/scale; for each of the 5 AlexNet ReLU
 * stages l, features are unit-normalised over channels, f̂ = f / (‖f‖₂ + 1e-10); the squared
 * difference is weighted by the non-negative 1x1 head w_l, summed over channels and averaged
 * over space:
 *
 *   d(a, b) = Σ_l mean_{h,w} Σ_c w_{l,c} (f̂_l(a) − f̂_l(b))²_{h,w,c}.
 *
 * Returns one distance per batch element.
 */
export function lpipsDistances(a: tf.Tensor4D, b: tf.Tensor4D, weights: LpipsWeights): tf.Tensor1D {
  const [n, h, w, c] = a.shape;
  if (b.shape.some((d, i) => d !== a.shape[i]))
    throw new Error(`lpipsDistances: shapes differ, [${a.shape}] vs [${b.shape}]`);
  if (c !== 3) throw new Error(`lpipsDistances: expects 3 channels, got ${c}`);
  if (h < ALEXNET_MIN_SIZE || w < ALEXNET_MIN_SIZE)
    throw new Error(
      `lpipsDistances: ${h}x${w} is smaller than ${ALEXNET_MIN_SIZE}x${ALEXNET_MIN_SIZE}`,
    );
  return tf.tidy(() => {
    const shift = tf.tensor1d([...LPIPS_SHIFT]);
    const scale = tf.tensor1d([...LPIPS_SCALE]);
    const scaled = tf.div(tf.sub(tf.concat([a, b], 0), shift), scale) as tf.Tensor4D;
    const taps = alexnetRelus(scaled, weights);
    let total: tf.Tensor = tf.zeros([n]);
    taps.forEach((f, l) => {
      const norm = tf.add(tf.sqrt(tf.sum(tf.square(f), 3, true)), LPIPS_NORM_EPS);
      const unit = tf.div(f, norm);
      const [fa, fb] = tf.split(unit, [n, n], 0) as [tf.Tensor4D, tf.Tensor4D];
      const weighted = tf.sum(tf.mul(tf.square(tf.sub(fa, fb)), weights.heads[l]!), 3);
      total = tf.add(total, tf.mean(weighted, [1, 2]));
    });
    return total as tf.Tensor1D;
  });
}

/** An 8-bit (0..255) RGB image → float32 HWC in [−1, 1] (x / 127.5 − 1). */
export function lpipsInputPixels(image: HwcImage): Float32Array {
  if (image.channels !== 3) throw new Error(`LPIPS image: needs 3 channels, got ${image.channels}`);
  const out = new Float32Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = image.data[i]! / 127.5 - 1;
  return out;
}

/** A loaded LPIPS network: {@link PerceptualDistance} on 0..255 images, plus cleanup. */
export interface LpipsNetwork extends PerceptualDistance {
  dispose(): void;
}

/**
 * Builds LPIPS from PyTorch-layout tensors (see `LPIPS_TENSORS`). `distance(a, b)` takes two
 * same-sized 8-bit RGB images (no resize: LSR scores at 224 x 224). Needs a tfjs backend.
 */
export function createLpips(
  arrays: NamedArrays,
  source: string,
  name = 'LPIPS v0.1 (alex, lin)',
): LpipsNetwork {
  const weights = prepareLpipsWeights(arrays, source);
  return {
    name,
    async distance(a: HwcImage, b: HwcImage): Promise<number> {
      assertSameShape(a, b);
      const shape = [1, a.height, a.width, 3] as [number, number, number, number];
      const d = tf.tidy(() =>
        lpipsDistances(
          tf.tensor4d(lpipsInputPixels(a), shape),
          tf.tensor4d(lpipsInputPixels(b), shape),
          weights,
        ),
      );
      const value = (await d.data())[0]!;
      d.dispose();
      return value;
    },
    dispose: () => disposeLpipsWeights(weights),
  };
}

/** {@link createLpips} from the bytes of a safetensors file (`source` names it in errors). */
export function lpipsFromSafetensors(
  bytes: Uint8Array,
  source: string,
  name?: string,
): LpipsNetwork {
  return createLpips(readNetworkArrays(bytes, source, 'lpips', LPIPS_TENSORS), source, name);
}
