// Part 2: K-shot data, training steps, fine-tuning (platform-neutral).

export { colorJitter } from './data/color-jitter';
export type { ExampleBatch, ExampleSource, SourceState } from './data/example-source';
export { disposeBatch } from './data/example-source';
export type { AdversarialUpdate, GeneratorForward } from './loop/adversarial-update';
export { adversarialUpdate } from './loop/adversarial-update';
export type { FineTuneInputs, FineTuneOptions } from './loop/finetune';
export { FineTuner } from './loop/finetune';
export type { Stage1Options } from './loop/stage1-step';
export { Stage1Trainer } from './loop/stage1-step';
export type { Stage2Options } from './loop/stage2-step';
export { Stage2Trainer } from './loop/stage2-step';
export type { StepResult } from './loop/step-result';
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
export type {
  LossScaleEvent,
  LossScaleOptions,
  LossScaleState,
} from './optim/loss-scale';
export { DynamicLossScale, describeLossScaleEvent } from './optim/loss-scale';
export { curvesHtml } from './run/curves-html';
export type { HoldoutMetrics } from './run/holdout-eval';
export { evaluateHoldout } from './run/holdout-eval';
export type { ConfigChange, ConfigHistoryEntry } from './run/resume-config';
export { configChanges, FIXED_ON_RESUME, formatChange, planResume } from './run/resume-config';
export { sampleGrid } from './run/sample-grid';
export { runSchedule } from './run/schedule-for-run';
export type { TrainConfig } from './run/train-config';
export { defaultTrainConfig } from './run/train-config';
export { fineTuningLearningRate, fineTuningSteps } from './schedule/fine-tuning';
export type { DecayShape, LearningRateSchedule } from './schedule/learning-rate';
export { decayFactor, learningRateAt, lsrSchedule } from './schedule/learning-rate';
