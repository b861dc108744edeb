import type * as tf from '@tensorflow/tfjs-core';
import type { LsrModel } from '@th/models';
import type { ExampleBatch } from '../data/example-source';
import type { FeatureNetwork } from '../features/feature-network';
import { defaultLossConfig, type LossConfig } from '../losses/loss-config';
import { Adam, type AdamOptions } from '../optim/adam';
import type { DynamicLossScale, LossScaleOptions } from '../optim/loss-scale';
import { adversarialUpdate } from './adversarial-update';
import { discriminatorOf } from './discriminator-fn';
import { lossScaleFor } from './loss-scale-default';
import type { StepResult } from './step-result';
import { variablesOf } from './variables';

export interface Stage2Options {
  losses?: LossConfig;
  vgg19?: FeatureNetwork;
  vggFace?: FeatureNetwork;
  adam?: AdamOptions;
  /** Dynamic loss scaling (see `lossScaleFor`; default: on when the backend runs precision mixed). */
  lossScale?: LossScaleOptions | boolean;
}

/**
 * Stage 2, the full pipeline (docs/design.md#loss-stage2): E^s, E^l, G^l, G^I under one G-side Adam
 * with the
 * adversarial + L1 + perceptual + latent losses, D under its own Adam with the logistic loss and
 * R1/R2; simultaneous updates (see `adversarialUpdate`). The layout is unsupervised here.
 */
export class Stage2Trainer {
  readonly gVariables: Record<string, tf.Variable>;
  readonly dVariables: Record<string, tf.Variable>;
  readonly gOptimizer: Adam;
  readonly dOptimizer: Adam;
  readonly losses: LossConfig;
  /** The dynamic loss scale shared by G and D, or null (unscaled: precision f32). */
  readonly lossScale: DynamicLossScale | null;

  constructor(
    readonly model: LsrModel,
    private readonly options: Stage2Options = {},
  ) {
    this.losses = options.losses ?? defaultLossConfig();
    this.gVariables = variablesOf(model, [
      'styleEncoder',
      'layoutEncoder',
      'layoutGenerator',
      'imageGenerator',
    ]);
    this.dVariables = variablesOf(model, ['discriminator']);
    this.gOptimizer = new Adam(this.gVariables, options.adam);
    this.dOptimizer = new Adam(this.dVariables, options.adam);
    this.lossScale = lossScaleFor(options.lossScale);
  }

  /** One simultaneous G/D update, both at learning rate `lr` (LSR uses one schedule). */
  step(batch: ExampleBatch, lr: number): Promise<StepResult> {
    return adversarialUpdate({
      generate: () => {
        const latents = this.model.encode(batch.sources, batch.sourceLandmarks);
        const out = this.model.synthesize(latents, batch.targetLandmarks);
        return { fake: out.image, styleLatent: latents.zs, layoutLatent: latents.zl };
      },
      real: batch.target,
      landmarks: batch.targetLandmarks,
      discriminator: discriminatorOf(this.model),
      losses: this.losses,
      g: { vars: this.gVariables, adam: this.gOptimizer, lr },
      d: { vars: this.dVariables, adam: this.dOptimizer, lr },
      vgg19: this.options.vgg19,
      vggFace: this.options.vggFace,
      lossScale: this.lossScale,
    });
  }

  dispose(): void {
    this.gOptimizer.dispose();
    this.dOptimizer.dispose();
  }
}
