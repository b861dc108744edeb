import { loadBytes } from '@th/backend';
import { readSafetensors } from './safetensors-reader';
import { type VggFaceNetwork, type VggFaceOptions, vggFaceFromWeights } from './vgg-face-network';

const HOW_TO_CONVERT =
  'convert keras_vggface rcmalli_vggface_tf_vgg16.h5 (or the Keras vgg_face_weights.h5) with ' +
  '`python tools/python/convert-vggface-h5.py <in.h5> <out.safetensors>` (see the @th/train README)';

/**
 * Load VGG-Face (VGG16, fc8 2622) from a user-supplied safetensors file (path or URL) holding
 * float32 `conv{b}_{c}/kernel` [3,3,in,out], `fc6/kernel` [25088,4096], `fc7/kernel` [4096,4096],
 * `fc8/kernel` [4096,2622] and a `/bias` per layer. No VGG-Face weights ship with @th or exist
 * offline, so a missing file is an error that says how to produce one; a missing or misshapen
 * tensor is an error naming the file, the tensor and the expected shape.
 */
export async function loadVggFace(
  location: string | URL,
  options: Omit<VggFaceOptions, 'source'> = {},
): Promise<VggFaceNetwork> {
  let bytes: Uint8Array;
  try {
    bytes = await loadBytes(location);
  } catch (err) {
    throw new Error(
      `VGG-Face weights not available (${(err as Error).message}); ${HOW_TO_CONVERT}`,
    );
  }
  const source = location.toString();
  const weights = readSafetensors(bytes, source);
  try {
    return vggFaceFromWeights(weights, { ...options, source });
  } catch (err) {
    for (const t of weights.values()) t.dispose();
    throw err;
  }
}
