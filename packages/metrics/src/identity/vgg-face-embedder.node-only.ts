/**
 * ID-SIM's LSR-comparable embedder: VGG-Face (VGG16, Parkhi et al. 2015) fc8 pre-softmax logits,
 * 2622-d, from user-supplied weights (docs/design.md#metric-id-sim; LSR's `VGGFaceCSIM`). Images
 * are scaled
 * to [-1,1], resized to the network's 224x224 input when they are another size, and given the
 * caffe preprocessing of @th/features' VGG-Face (ImageNet BGR mean by default, as LSR,
 * docs/design.md#vggface-preprocessing).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type BackendPreference, init } from '@th/backend';
import { loadVggFace, type VggFaceMean, type VggFaceNetwork } from '@th/features';
import type { IdentityEmbedder } from '../id-sim';
import { assertHwcImage, type HwcImage } from '../image';

export const VGG_FACE_FC8_NAME = 'VGG-Face fc8';

export interface VggFaceEmbedderOptions {
  /** BGR mean of the preprocessing: 'imagenet' (LSR, default) or 'vggface' (keras_vggface v1). */
  readonly mean?: VggFaceMean;
  /** tfjs backend to bring up when none is yet (default 'auto': wasm on CPU machines). */
  readonly backend?: BackendPreference;
}

/** The embedder, plus `dispose()` to free the network's 145 M weights. */
export interface VggFaceEmbedder extends IdentityEmbedder {
  dispose(): void;
}

/** uint8-range HWC (1, 3 or 4 channels) → [1,H,W,3] RGB in [-1,1]. */
function toSignedRgb(image: HwcImage): tf.Tensor4D {
  assertHwcImage(image, VGG_FACE_FC8_NAME);
  const { height, width, channels, data } = image;
  if (![1, 3, 4].includes(channels)) {
    throw new Error(`${VGG_FACE_FC8_NAME}: images need 1, 3 or 4 channels, got ${channels}`);
  }
  const rgb = new Float32Array(height * width * 3);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) {
      rgb[3 * p + c] = data[p * channels + (channels === 1 ? 0 : c)]! / 127.5 - 1;
    }
  }
  return tf.tensor4d(rgb, [1, height, width, 3]);
}

/** Wrap an already-built VGG-Face network as an {@link IdentityEmbedder} named "VGG-Face fc8". */
export function vggFaceEmbedderFromNetwork(net: VggFaceNetwork): VggFaceEmbedder {
  const size = net.inputSize;
  return {
    name: VGG_FACE_FC8_NAME,
    async embed(image: HwcImage): Promise<Float32Array> {
      const logits = tf.tidy(() => {
        const x = toSignedRgb(image);
        // Half-pixel-centred bilinear (as PIL/OpenCV): no gradient is needed for evaluation.
        const sized =
          image.height === size && image.width === size
            ? x
            : tf.image.resizeBilinear(x, [size, size], false, true);
        return net.logits(sized);
      });
      try {
        return (await logits.data()) as Float32Array;
      } finally {
        logits.dispose();
      }
    },
    dispose: () => net.dispose(),
  };
}

/**
 * Load VGG-Face weights from `file` (safetensors written by @th/train's
 * `tools/python/convert-vggface-h5.py`) and return the "VGG-Face fc8" embedder. Brings up a tfjs
 * backend through @th/backend if none is active yet.
 */
export async function vggFaceEmbedder(
  file: string,
  options: VggFaceEmbedderOptions = {},
): Promise<VggFaceEmbedder> {
  await init({ backend: options.backend ?? 'auto' });
  const net = await loadVggFace(file, { mean: options.mean });
  return vggFaceEmbedderFromNetwork(net);
}
