// @th/features: pretrained feature networks used both as training losses (@th/train) and as
// metrics (@th/metrics): VGG19 (perceptual loss), VGG-Face (perceptual/identity loss and LSR's
// ID-SIM), their shared VGG conv stack and a labelled random proxy. Weights come from user files;
// none are bundled (Caffe preprocessing and the weight-file reader are internals of the loaders).
export type { FeatureNetwork } from './feature-network';
export { layerIndex } from './feature-network';
export { loadVggFace } from './load-vgg-face';
export { loadVgg19 } from './load-vgg19';
export type { RandomFeatureNetworkOptions } from './random-feature-network';
export { randomFeatureNetwork } from './random-feature-network';
export type { VggConv, VggWeights } from './vgg-conv-stack';
export type { VggFaceMean, VggFaceNetwork, VggFaceOptions } from './vgg-face-network';
export {
  VGG_FACE_CLASSES,
  VGG_FACE_CONVS,
  VGG_FACE_INPUT_SIZE,
  VGG_FACE_LAYERS,
  validateVggFaceWeights,
  vggFaceDenseLayers,
  vggFaceFromWeights,
  vggFaceParameterCount,
} from './vgg-face-network';
export type { Vgg19Network, Vgg19Weights } from './vgg19';
export {
  VGG19_CONVS,
  VGG19_LOSS_LAYERS,
  validateVgg19Weights,
  vgg19FromWeights,
  vgg19ParameterCount,
} from './vgg19';
