import * as tf from '@tensorflow/tfjs-core';
import { caffePreprocess, IMAGENET_BGR_MEAN, VGGFACE_V1_BGR_MEAN } from './caffe-preprocess';
import type { FeatureNetwork } from './feature-network';
import {
  convStackParameterCount,
  disposeWeights,
  expectTensor,
  runConvStack,
  type VggConv,
  type VggWeights,
  validateConvStack,
} from './vgg-conv-stack';

/** The 13 convolutions of VGG-Face (VGG16 layout), named as keras_vggface's `VGGFace('vgg16')`. */
export const VGG_FACE_CONVS: readonly VggConv[] = [
  ['conv1_1', 3, 64],
  ['conv1_2', 64, 64],
  ['conv2_1', 64, 128],
  ['conv2_2', 128, 128],
  ['conv3_1', 128, 256],
  ['conv3_2', 256, 256],
  ['conv3_3', 256, 256],
  ['conv4_1', 256, 512],
  ['conv4_2', 512, 512],
  ['conv4_3', 512, 512],
  ['conv5_1', 512, 512],
  ['conv5_2', 512, 512],
  ['conv5_3', 512, 512],
];

/** Identities of the VGG-Face dataset = width of fc8. */
export const VGG_FACE_CLASSES = 2622;
/** The input size VGG-Face was trained at and its fc6 expects (7x7x512 after 5 poolings). */
export const VGG_FACE_INPUT_SIZE = 224;
/** What `extract` returns: the 5 conv layers of LSR's VGG-Face loss, then fc8 as [N,1,1,2622]. */
export const VGG_FACE_LAYERS = ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1', 'fc8'];

/**
 * 'imagenet': LSR's choice (docs/design.md#vggface-preprocessing, default); 'vggface':
 * keras_vggface version-1 means.
 */
export type VggFaceMean = 'imagenet' | 'vggface';

export interface VggFaceOptions {
  /** Side of the square network input; a multiple of 32. Default 224 (what the weights expect). */
  inputSize?: number;
  /**
   * Which BGR mean the caffe preprocessing subtracts. Default 'imagenet' (LSR,
   * docs/design.md#vggface-preprocessing).
   */
  mean?: VggFaceMean;
  /** Names the weights in error messages (e.g. the file). */
  source?: string;
}

export interface VggFaceNetwork extends FeatureNetwork {
  readonly inputSize: number;
  readonly mean: VggFaceMean;
  /** fc8 pre-softmax logits [N, 2622] of images in [-1,1] (resized to `inputSize` if needed). */
  logits(images: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** The dense layers `[name, in, out]`; fc6's input is the channels-last flatten of pool5. */
export function vggFaceDenseLayers(inputSize = VGG_FACE_INPUT_SIZE): VggConv[] {
  checkInputSize(inputSize);
  const pooled = inputSize / 32;
  return [
    ['fc6', pooled * pooled * 512, 4096],
    ['fc7', 4096, 4096],
    ['fc8', 4096, VGG_FACE_CLASSES],
  ];
}

/** Check every kernel and bias (conv HWIO, dense [in,out]); errors name the source and tensor. */
export function validateVggFaceWeights(
  weights: VggWeights,
  inputSize = VGG_FACE_INPUT_SIZE,
  source = 'VGG-Face weights',
): void {
  validateConvStack(weights, VGG_FACE_CONVS, source);
  for (const [name, cin, cout] of vggFaceDenseLayers(inputSize)) {
    expectTensor(weights, `${name}/kernel`, [cin, cout], source);
    expectTensor(weights, `${name}/bias`, [cout], source);
  }
}

/** Parameters (kernels + biases): 145,002,878 at 224 (VGG16 with a 2622-way fc8). */
export function vggFaceParameterCount(inputSize = VGG_FACE_INPUT_SIZE): number {
  const dense = vggFaceDenseLayers(inputSize).reduce((n, [, i, o]) => n + i * o + o, 0);
  return convStackParameterCount(VGG_FACE_CONVS) + dense;
}

/**
 * VGG-Face (Parkhi, Vedaldi & Zisserman, BMVC 2015), the VGG16 layout of keras_vggface:
 *
 *   x0 = caffe(resize(x, inputSize))            RGB→BGR, 0..255, minus a BGR mean
 *   conv1_1 … conv5_3: 3x3 'same' conv + ReLU, 2x2/2 max-pool after each block (pool1 … pool5)
 *   fc6 = ReLU(flatten(pool5)·W6 + b6)   (flatten in NHWC order, as Keras channels-last)
 *   fc7 = ReLU(fc6·W7 + b7),  fc8 = fc7·W8 + b8   (2622 pre-softmax logits)
 *
 * `extract` returns conv1_1 … conv5_1 (post-ReLU) and fc8, what LSR's VGG-Face perceptual and
 * identity losses read (docs/design.md#loss-stage2). Images of another size are resized bilinearly
 * (legacy
 * half-pixel-free mode, whose gradient tfjs implements) to `inputSize`.
 */
export function vggFaceFromWeights(
  weights: VggWeights,
  options: VggFaceOptions = {},
): VggFaceNetwork {
  const inputSize = options.inputSize ?? VGG_FACE_INPUT_SIZE;
  const mean = options.mean ?? 'imagenet';
  if (mean !== 'imagenet' && mean !== 'vggface') {
    throw new Error(`vggFace: mean must be 'imagenet' or 'vggface', got "${mean}"`);
  }
  validateVggFaceWeights(weights, inputSize, options.source);
  const bgrMean = mean === 'imagenet' ? IMAGENET_BGR_MEAN : VGGFACE_V1_BGR_MEAN;
  const capture = new Set(VGG_FACE_LAYERS);
  const dense = vggFaceDenseLayers(inputSize);

  const forward = (images: tf.Tensor4D): { convs: tf.Tensor4D[]; fc8: tf.Tensor2D } => {
    const [, h, w] = images.shape;
    const sized =
      h === inputSize && w === inputSize
        ? images
        : tf.image.resizeBilinear(images, [inputSize, inputSize], false, false);
    const stack = runConvStack(caffePreprocess(sized, bgrMean), weights, VGG_FACE_CONVS, capture);
    const pool5 = tf.maxPool(stack.last, 2, 2, 'valid');
    let x: tf.Tensor2D = tf.reshape(pool5, [pool5.shape[0], -1]);
    dense.forEach(([name], i) => {
      const kernel = weights.get(`${name}/kernel`) as tf.Tensor2D;
      const bias = weights.get(`${name}/bias`) as tf.Tensor1D;
      const y = tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D;
      x = i < dense.length - 1 ? tf.relu(y) : y;
    });
    return { convs: stack.captured, fc8: x };
  };

  return {
    name: mean === 'imagenet' ? 'vgg-face' : 'vgg-face (vggface mean)',
    isProxy: false,
    layers: [...VGG_FACE_LAYERS],
    inputSize,
    mean,
    extract(images) {
      // Returned from tidy (not tf.keep'd), so an enclosing tidy still owns and frees them.
      return tf.tidy(() => {
        const { convs, fc8 } = forward(images);
        return [...convs, tf.reshape(fc8, [fc8.shape[0], 1, 1, VGG_FACE_CLASSES]) as tf.Tensor4D];
      });
    },
    logits(images) {
      return tf.tidy(() => forward(images).fc8);
    },
    dispose() {
      disposeWeights(weights);
    },
  };
}

function checkInputSize(inputSize: number): void {
  if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0) {
    throw new Error(
      `vggFace: inputSize must be a positive multiple of 32 (5 poolings), got ${inputSize}`,
    );
  }
}
