import * as tf from '@tensorflow/tfjs-core';
import { type FeatureNetwork, layerIndex } from '@th/features';
import { assertSameShape } from './validate';

/**
 * Keras-VGG19 layer weights of LSR's perceptual loss, block1_conv1 ... block5_conv1
 * (docs/design.md#loss-stage2).
 */
export const VGG19_LAYER_WEIGHTS: readonly number[] = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1];

/**
 * Features of generated and real images from one network pass (both batches concatenated, so
 * layers with batch statistics, if any, see both). Returns [fakeFeatures, realFeatures].
 */
export function pairedFeatures(
  net: FeatureNetwork,
  fake: tf.Tensor4D,
  real: tf.Tensor4D,
): [tf.Tensor4D[], tf.Tensor4D[]] {
  assertSameShape(`perceptual loss over "${net.name}" (fake vs real images)`, fake, real);
  const n = fake.shape[0];
  const features = net.extract(tf.concat([fake, real], 0));
  if (features.length !== net.layers.length) {
    throw new Error(
      `feature network "${net.name}" returned ${features.length} maps for ${net.layers.length} layers`,
    );
  }
  const fakes: tf.Tensor4D[] = [];
  const reals: tf.Tensor4D[] = [];
  for (const f of features) {
    const [a, b] = tf.split(f, [n, n], 0);
    fakes.push(a as tf.Tensor4D);
    reals.push(b as tf.Tensor4D);
  }
  return [fakes, reals];
}

/**
 * Perceptual (feature-matching) loss, as LSR's VGG losses (docs/design.md#loss-stage2, after FSTH):
 *
 *   L = Σ_i w_i · mean |φ_i(x̂) − φ_i(x)|
 *
 * over the layers φ_i named in `layerWeights` (layer name → w_i). Default: every layer of the
 * network, with VGG19's weights (1/32 … 1) when it has exactly 5 layers.
 */
export function perceptualLoss(
  net: FeatureNetwork,
  fake: tf.Tensor4D,
  real: tf.Tensor4D,
  layerWeights?: Readonly<Record<string, number>>,
): tf.Scalar {
  const weights = layerWeights ?? defaultLayerWeights(net);
  const picks = Object.entries(weights).map(([layer, w]) => [layerIndex(net, layer), w] as const);
  return tf.tidy(() => {
    const [fakes, reals] = pairedFeatures(net, fake, real);
    const terms = picks.map(([i, w]) => tf.mul(tf.mean(tf.abs(tf.sub(fakes[i]!, reals[i]!))), w));
    return tf.addN(terms) as tf.Scalar;
  });
}

function defaultLayerWeights(net: FeatureNetwork): Record<string, number> {
  if (net.layers.length !== VGG19_LAYER_WEIGHTS.length) {
    throw new Error(
      `perceptualLoss: "${net.name}" has ${net.layers.length} layers; pass layerWeights explicitly (defaults are VGG19's 5)`,
    );
  }
  return Object.fromEntries(net.layers.map((name, i) => [name, VGG19_LAYER_WEIGHTS[i]!]));
}
