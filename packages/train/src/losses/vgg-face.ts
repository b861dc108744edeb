import * as tf from '@tensorflow/tfjs-core';
import { type FeatureNetwork, layerIndex } from '@th/features';
import { pairedFeatures } from './perceptual';

/**
 * VGG-Face layers of LSR's face perceptual loss (Keras indices 1, 6, 11, 18, 25;
 * docs/design.md#loss-stage2).
 */
export const VGG_FACE_PERCEPTUAL_LAYERS: readonly string[] = [
  'conv1_1',
  'conv2_1',
  'conv3_1',
  'conv4_1',
  'conv5_1',
];
/** VGG-Face layer whose pre-softmax logits (2622 identities, as [N,1,1,2622]) the identity loss compares. */
export const VGG_FACE_IDENTITY_LAYER = 'fc8';

export interface VggFaceLosses {
  /** Σ_i mean|φ_i(x̂) − φ_i(x)| over the 5 conv layers, UNweighted (LSR weights each by 0.002). */
  perceptual: tf.Scalar;
  /** mean|fc8(x̂) − fc8(x)| (LSR weight 1). */
  identity: tf.Scalar;
}

/**
 * LSR's two VGG-Face losses from one network pass (docs/design.md#loss-stage2; VGG-Face: Parkhi et
 * al. 2015):
 *
 *   perceptual = Σ_{i ∈ conv1_1..conv5_1} mean|φ_i(x̂) − φ_i(x)|   (each weighted 0.002 by LSR)
 *   identity   = mean|fc8(x̂) − fc8(x)|                            (fc8 = pre-softmax logits)
 *
 * The network must expose the layers named in `perceptualLayers` and `identityLayer`; a proxy
 * network can be given those names.
 */
export function vggFaceLosses(
  net: FeatureNetwork,
  fake: tf.Tensor4D,
  real: tf.Tensor4D,
  perceptualLayers: readonly string[] = VGG_FACE_PERCEPTUAL_LAYERS,
  identityLayer: string = VGG_FACE_IDENTITY_LAYER,
): VggFaceLosses {
  const perceptualIdx = perceptualLayers.map((l) => layerIndex(net, l));
  const identityIdx = layerIndex(net, identityLayer);
  return tf.tidy(() => {
    const [fakes, reals] = pairedFeatures(net, fake, real);
    const l1 = (i: number) => tf.mean(tf.abs(tf.sub(fakes[i]!, reals[i]!)));
    return {
      perceptual: tf.addN(perceptualIdx.map(l1)) as tf.Scalar,
      identity: l1(identityIdx) as tf.Scalar,
    };
  });
}
