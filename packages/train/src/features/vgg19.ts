import * as tf from '@tensorflow/tfjs-core';
import { caffePreprocess } from './caffe-preprocess';
import type { FeatureNetwork } from './feature-network';

/**
 * VGG19 (Simonyan & Zisserman 2015) convolution stack as Keras builds it (`keras.applications.
 * VGG19`, include_top=False), up to block5_conv1, the deepest layer LSR's perceptual loss reads.
 * Every conv is 3x3, stride 1, 'same' padding, bias, ReLU; each block ends with 2x2 max-pooling.
 *
 * Outputs are the post-ReLU activations of block1_conv1 ... block5_conv1 (= relu1_1 ... relu5_1),
 * the layers of LSR's VGG19 loss (spec §c.2).
 */
export const VGG19_CONVS: readonly (readonly [
  name: string,
  inChannels: number,
  outChannels: number,
])[] = [
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
export type Vgg19Weights = Map<string, tf.Tensor>;

export interface Vgg19Network extends FeatureNetwork {
  dispose(): void;
}

/** Check that every conv has a kernel and bias of the right shape; errors name the tensor. */
export function validateVgg19Weights(weights: Vgg19Weights, source = 'VGG19 weights'): void {
  for (const [name, cin, cout] of VGG19_CONVS) {
    const expected: [string, number[]][] = [
      [`${name}/kernel`, [3, 3, cin, cout]],
      [`${name}/bias`, [cout]],
    ];
    for (const [key, shape] of expected) {
      const t = weights.get(key);
      if (!t) throw new Error(`${source}: missing tensor "${key}" (expected shape [${shape}])`);
      if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
        throw new Error(`${source}: tensor "${key}" has shape [${t.shape}], expected [${shape}]`);
      }
    }
  }
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
      return tf.tidy(() => {
        const outputs: tf.Tensor4D[] = [];
        let x = caffePreprocess(images);
        for (const [name] of VGG19_CONVS) {
          // A block's first conv follows the previous block's pooling.
          if (name.endsWith('conv1') && name !== 'block1_conv1') x = tf.maxPool(x, 2, 2, 'valid');
          const kernel = weights.get(`${name}/kernel`) as tf.Tensor4D;
          const bias = weights.get(`${name}/bias`) as tf.Tensor1D;
          x = tf.relu(tf.add(tf.conv2d(x, kernel, 1, 'same'), bias)) as tf.Tensor4D;
          if (lossLayers.has(name)) outputs.push(x);
        }
        return outputs;
      });
    },
    dispose() {
      for (const t of weights.values()) t.dispose();
      weights.clear();
    },
  };
}

/** Number of parameters of the stack (kernels + biases); 12,944,960 for VGG19 to block5_conv1. */
export function vgg19ParameterCount(): number {
  return VGG19_CONVS.reduce((n, [, cin, cout]) => n + 9 * cin * cout + cout, 0);
}
