import type * as tf from '@tensorflow/tfjs-core';
import type { FeatureNetwork } from '@th/features';
import { type Discriminator, discriminate } from './adversarial';
import { discriminatorLogisticLoss } from './discriminator-logistic';
import { generatorAdversarialLoss } from './generator-adversarial';
import { gradientPenalty, lazyPenaltyWeight } from './gradient-penalty';
import { l1Loss } from './l1';
import { latentL2Loss } from './latent-l2';
import { layoutCrossEntropyLoss } from './layout-cross-entropy';
import type { LossConfig } from './loss-config';
import { perceptualLoss } from './perceptual';
import { vggFaceLosses } from './vgg-face';
import { type LossBreakdown, weightedSum } from './weighted-sum';

export interface Stage1Inputs {
  /** G^l's 19 layout logits [N,H,W,19] and the oracle labels [N,H,W] int32. */
  layoutLogits: tf.Tensor4D;
  labels: tf.Tensor3D;
  /** G^l's 3 auxiliary RGB channels [N,H,W,3] and the real target frame. */
  auxRgb: tf.Tensor4D;
  real: tf.Tensor4D;
  /** z^l [N,512]. */
  layoutLatent: tf.Tensor;
  /** Needed when stage1.auxVgg19 > 0. */
  vgg19?: FeatureNetwork;
}

export type Stage1Term = keyof LossConfig['stage1'];

/**
 * Stage-1 (layout pre-training) loss, docs/design.md#loss-stage1: 10·CE + 0.01·VGG19(aux RGB) +
 * 1·mean(z^l)².
 */
export function stage1Loss(inputs: Stage1Inputs, config: LossConfig): LossBreakdown<Stage1Term> {
  const w = config.stage1;
  const terms: Partial<Record<Stage1Term, tf.Scalar>> = {};
  if (w.layoutCrossEntropy > 0)
    terms.layoutCrossEntropy = layoutCrossEntropyLoss(inputs.layoutLogits, inputs.labels);
  if (w.auxVgg19 > 0)
    terms.auxVgg19 = perceptualLoss(
      need(inputs.vgg19, 'stage1.auxVgg19'),
      inputs.auxRgb,
      inputs.real,
      vgg19Weights(inputs.vgg19!, config),
    );
  if (w.auxL1 > 0) terms.auxL1 = l1Loss(inputs.auxRgb, inputs.real);
  if (w.layoutLatentL2 > 0) terms.layoutLatentL2 = latentL2Loss(inputs.layoutLatent);
  return { total: weightedSum(terms, w), terms };
}

export interface Stage2GeneratorInputs {
  fake: tf.Tensor4D;
  real: tf.Tensor4D;
  /** Target landmark images l_t, concatenated to the image for D. */
  landmarks: tf.Tensor4D;
  discriminator: Discriminator;
  styleLatent: tf.Tensor;
  layoutLatent: tf.Tensor;
  /** Needed when stage2.vgg19 > 0. */
  vgg19?: FeatureNetwork;
  /** Needed when stage2.vggFacePerLayer or stage2.identity > 0 (layers conv1_1..conv5_1, fc8). */
  vggFace?: FeatureNetwork;
}

export type Stage2GeneratorTerm =
  | 'adversarial'
  | 'l1'
  | 'vgg19'
  | 'vggFace'
  | 'identity'
  | 'styleLatentL2'
  | 'layoutLatentL2';

/**
 * Stage-2 generator-side loss (E^s, E^l, G^l, G^I), docs/design.md#loss-stage2:
 * 1·softplus(-D(x̂⊕l)) + 1·L1 + 0.1·VGG19 + 0.002·Σ_5 VGG-Face + 1·identity + 1·(z^s)² + 1·(z^l)².
 * Also used unchanged for subject fine-tuning (docs/design.md#loss-finetune), where the latent
 * terms are constants.
 */
export function stage2GeneratorLoss(
  inputs: Stage2GeneratorInputs,
  config: LossConfig,
): LossBreakdown<Stage2GeneratorTerm> {
  const w = config.stage2;
  const terms: Partial<Record<Stage2GeneratorTerm, tf.Scalar>> = {};
  if (w.adversarial > 0)
    terms.adversarial = generatorAdversarialLoss(
      discriminate(inputs.discriminator, inputs.fake, inputs.landmarks),
    );
  if (w.l1 > 0) terms.l1 = l1Loss(inputs.fake, inputs.real);
  if (w.vgg19 > 0)
    terms.vgg19 = perceptualLoss(
      need(inputs.vgg19, 'stage2.vgg19'),
      inputs.fake,
      inputs.real,
      vgg19Weights(inputs.vgg19!, config),
    );
  if (w.vggFacePerLayer > 0 || w.identity > 0) {
    const face = vggFaceLosses(
      need(inputs.vggFace, 'stage2.vggFacePerLayer / stage2.identity'),
      inputs.fake,
      inputs.real,
    );
    if (w.vggFacePerLayer > 0) terms.vggFace = face.perceptual;
    else face.perceptual.dispose();
    if (w.identity > 0) terms.identity = face.identity;
    else face.identity.dispose();
  }
  if (w.styleLatentL2 > 0) terms.styleLatentL2 = latentL2Loss(inputs.styleLatent);
  if (w.layoutLatentL2 > 0) terms.layoutLatentL2 = latentL2Loss(inputs.layoutLatent);
  const weights: Record<Stage2GeneratorTerm, number> = { ...w, vggFace: w.vggFacePerLayer };
  return { total: weightedSum(terms, weights), terms };
}

export interface Stage2DiscriminatorInputs {
  real: tf.Tensor4D;
  fake: tf.Tensor4D;
  landmarks: tf.Tensor4D;
  discriminator: Discriminator;
  /** D step counter for lazy penalties (only read when stage2.penaltyInterval > 1). */
  step?: number;
}

export type Stage2DiscriminatorTerm = 'logistic' | 'r1' | 'r2';

/**
 * Stage-2 D loss, docs/design.md#loss-stage2: softplus(-D(x⊕l)) + softplus(D(x̂⊕l)) + R1(γ=10) +
 * R2(γ=10). The
 * penalties already include γ/2, so they enter with weight 1 (times the lazy multiplier; skipped
 * steps leave them out of `terms`).
 */
export function stage2DiscriminatorLoss(
  inputs: Stage2DiscriminatorInputs,
  config: LossConfig,
): LossBreakdown<Stage2DiscriminatorTerm> {
  const { r1Gamma, r2Gamma, penaltyInterval } = config.stage2;
  const { discriminator: d, real, fake, landmarks } = inputs;
  const lazy = lazyPenaltyWeight(inputs.step ?? 0, penaltyInterval);
  const terms: Partial<Record<Stage2DiscriminatorTerm, tf.Scalar>> = {
    logistic: discriminatorLogisticLoss(
      discriminate(d, real, landmarks),
      discriminate(d, fake, landmarks),
    ),
  };
  if (lazy > 0 && r1Gamma > 0) terms.r1 = gradientPenalty(d, real, landmarks, 'real', r1Gamma);
  if (lazy > 0 && r2Gamma > 0) terms.r2 = gradientPenalty(d, fake, landmarks, 'fake', r2Gamma);
  return { total: weightedSum(terms, { logistic: 1, r1: lazy, r2: lazy }), terms };
}

function vgg19Weights(net: FeatureNetwork, config: LossConfig): Record<string, number> {
  if (net.layers.length !== config.vgg19LayerWeights.length) {
    throw new Error(
      `VGG19 loss: network "${net.name}" has ${net.layers.length} layers but ${config.vgg19LayerWeights.length} layer weights are configured`,
    );
  }
  return Object.fromEntries(net.layers.map((name, i) => [name, config.vgg19LayerWeights[i]!]));
}

function need(net: FeatureNetwork | undefined, weightName: string): FeatureNetwork {
  if (!net)
    throw new Error(
      `${weightName} > 0 needs a feature network: pass one (loadVgg19(...) or an explicit randomFeatureNetwork proxy) or set the weight to 0`,
    );
  return net;
}
