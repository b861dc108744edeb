import { loadBytes } from '@th/backend';
import { readSafetensors } from './safetensors-reader';
import { type Vgg19Network, vgg19FromWeights } from './vgg19';

const HOW_TO_CONVERT =
  'convert Keras vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 with ' +
  '`python tools/python/convert_vgg19_h5.py <in.h5> <out.safetensors>` (see the @th/train README)';

/**
 * Load ImageNet VGG19 weights from a user-supplied safetensors file (path or URL) holding
 * `block{b}_conv{c}/kernel` [3,3,in,out] and `/bias` [out] in float32. No VGG weights ship with
 * @th or exist offline, so a missing file is an error that says how to produce one.
 */
export async function loadVgg19(location: string | URL): Promise<Vgg19Network> {
  let bytes: Uint8Array;
  try {
    bytes = await loadBytes(location);
  } catch (err) {
    throw new Error(`VGG19 weights not available (${(err as Error).message}); ${HOW_TO_CONVERT}`);
  }
  const source = location.toString();
  const weights = readSafetensors(bytes, source);
  try {
    return vgg19FromWeights(weights, source);
  } catch (err) {
    for (const t of weights.values()) t.dispose();
    throw err;
  }
}
