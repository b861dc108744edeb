import * as tf from '@tensorflow/tfjs-core';
import { caffePreprocess } from './caffe-preprocess';
import type { FeatureNetwork } from './feature-network';
import {
  convStackParameterCount,
  disposeWeights,
  runConvStack,
  type VggConv,
  type VggWeights,
  validateConvStack,
} from './vgg-conv-stack';

/**
 * VGG19 (Simonyan & Zisserman 2015) convolution stack as Keras builds it (`keras.applications.
 * VGG19`, include_top=False), up to block5_conv1, the deepest layer LSR's perceptual loss reads.
 * Every conv is 3x3, stride 1, 'same' padding, bias, ReLU; each block ends with 2x2 max-pooling.
 *
 * Outputs are the post-ReLU activations of block1_conv1 ... block5_conv1 (= relu1_1 ... relu5_1),
 * the layers of LSR's VGG19 loss (docs/design.md#loss-stage2).
 */
export const VGG19_CONVS: readonly VggConv[] = [
  ['block1_conv1', 3, 64],
  ['block1_conv2', 64, 64],
  ['block2_conv1', 64, 128],
  ['block2_conv2', 128, 128],
  ['block3_conv1', 128, 256],
  ['block3_conv2', 256, 256],
  ['block3_conv3', 256, 256],
  ['block3_conv4', 256, 256],
  ['block4_conv1', 256, 512],
  ['block4_conv2', 512, 512],
  ['block4_conv3', 512, 512],
  ['block4_conv4', 512, 512],
  ['block5_conv1', 512, 512],
];

/** The layers whose activations the VGG19 perceptual loss compares. */
export const VGG19_LOSS_LAYERS = [
  'block1_conv1',
  'block2_conv1',
  'block3_conv1',
  'block4_conv1',
  'block5_conv1',
] as const;

/**
 * Weights keyed `<layer>/kernel` ([3,3,in,out], Keras/tfjs HWIO layout) and `<layer>/bias` ([out]).
 * Tensors are owned by the network afterwards (disposed by `dispose()`).
 */
export type Vgg19Weights = VggWeights;

export interface Vgg19Network extends FeatureNetwork {
  dispose(): void;
}

/** Check that every conv has a kernel and bias of the right shape; errors name the tensor. */
export function validateVgg19Weights(weights: Vgg19Weights, source = 'VGG19 weights'): void {
  validateConvStack(weights, VGG19_CONVS, source);
}

/** Build the VGG19 feature network from already-loaded weights (validated first). */
export function vgg19FromWeights(weights: Vgg19Weights, source = 'VGG19 weights'): Vgg19Network {
  validateVgg19Weights(weights, source);
  const lossLayers = new Set<string>(VGG19_LOSS_LAYERS);
  return {
    name: 'vgg19-imagenet',
    isProxy: false,
    layers: [...VGG19_LOSS_LAYERS],
    extract(images) {
      // Returned from tidy (not tf.keep'd), so an enclosing tidy still owns and frees them.
      return tf.tidy(
        () => runConvStack(caffePreprocess(images), weights, VGG19_CONVS, lossLayers).captured,
      );
    },
    dispose() {
      disposeWeights(weights);
    },
  };
}

/** Number of parameters of the stack (kernels + biases); 12,944,960 for VGG19 to block5_conv1. */
export function vgg19ParameterCount(): number {
  return convStackParameterCount(VGG19_CONVS);
}
