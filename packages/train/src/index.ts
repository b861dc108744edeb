export { caffePreprocess, IMAGENET_BGR_MEAN } from './features/caffe-preprocess';
export type { FeatureNetwork } from './features/feature-network';
export { layerIndex } from './features/feature-network';
export { loadVgg19 } from './features/load-vgg19';
export type { RandomFeatureNetworkOptions } from './features/random-feature-network';
export { randomFeatureNetwork } from './features/random-feature-network';
export { readSafetensors } from './features/safetensors-reader';
export type { Vgg19Network, Vgg19Weights } from './features/vgg19';
export {
  VGG19_CONVS,
  VGG19_LOSS_LAYERS,
  validateVgg19Weights,
  vgg19FromWeights,
  vgg19ParameterCount,
} from './features/vgg19';
export type { Discriminator } from './losses/adversarial';
export { discriminate } from './losses/adversarial';
export { discriminatorLogisticLoss } from './losses/discriminator-logistic';
export { generatorAdversarialLoss } from './losses/generator-adversarial';
export type { PenaltyTarget } from './losses/gradient-penalty';
export {
  gradientPenalty,
  lazyPenaltyWeight,
  r1Penalty,
  r2Penalty,
} from './losses/gradient-penalty';
export { l1Loss } from './losses/l1';
export { latentL2Loss } from './losses/latent-l2';
export { layoutCrossEntropyLoss } from './losses/layout-cross-entropy';
export type { LossConfig } from './losses/loss-config';
export { defaultLossConfig, lossConfig } from './losses/loss-config';
export { pairedFeatures, perceptualLoss, VGG19_LAYER_WEIGHTS } from './losses/perceptual';
export type {
  Stage1Inputs,
  Stage1Term,
  Stage2DiscriminatorInputs,
  Stage2DiscriminatorTerm,
  Stage2GeneratorInputs,
  Stage2GeneratorTerm,
} from './losses/stage-losses';
export { stage1Loss, stage2DiscriminatorLoss, stage2GeneratorLoss } from './losses/stage-losses';
export type { VggFaceLosses } from './losses/vgg-face';
export {
  VGG_FACE_IDENTITY_LAYER,
  VGG_FACE_PERCEPTUAL_LAYERS,
  vggFaceLosses,
} from './losses/vgg-face';
export type { LossBreakdown } from './losses/weighted-sum';
export { weightedSum } from './losses/weighted-sum';

export type { AdamOptions, AdamState } from './optim/adam';
export { Adam } from './optim/adam';
export { fineTuningLearningRate, fineTuningSteps } from './schedule/fine-tuning';
export type { DecayShape, LearningRateSchedule } from './schedule/learning-rate';
export { decayFactor, learningRateAt, lsrSchedule } from './schedule/learning-rate';
