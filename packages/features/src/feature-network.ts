import type * as tf from '@tensorflow/tfjs-core';

/**
 * A network whose intermediate activations feed a perceptual (feature-matching) loss.
 *
 * `extract` takes images in [-1, 1] (NHWC, RGB) and returns one feature map per entry of `layers`,
 * in the same order. Networks apply their own input preprocessing (e.g. caffe-style for VGG), so
 * every loss can hand them generator outputs unchanged.
 *
 * `isProxy` is true for stand-ins (e.g. random convolutional features) that are NOT the network the
 * paper used: numbers computed with them are not comparable to published ones.
 */
export interface FeatureNetwork {
  readonly name: string;
  readonly isProxy: boolean;
  readonly layers: readonly string[];
  extract(images: tf.Tensor4D): tf.Tensor4D[];
}

/** Index of `layer` in `net.layers`, or a clear error listing what the network offers. */
export function layerIndex(net: FeatureNetwork, layer: string): number {
  const i = net.layers.indexOf(layer);
  if (i < 0) {
    throw new Error(
      `feature network "${net.name}" has no layer "${layer}" (it has: ${net.layers.join(', ')})`,
    );
  }
  return i;
}
