import type * as tf from '@tensorflow/tfjs-core';
import type { LsrModel } from '@th/models';
import type { ExampleBatch } from '../data/example-source';
import type { FeatureNetwork } from '../features/feature-network';
import { defaultLossConfig, type LossConfig } from '../losses/loss-config';
import { Adam, type AdamOptions } from '../optim/adam';
import type { DynamicLossScale, LossScaleOptions } from '../optim/loss-scale';
import { type AdversarialUpdate, adversarialUpdate } from './adversarial-update';
import { CapturedAdversarialSteps } from './captured-step';
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
  /**
   * Record each kind of step once on the GPU and replay it without tfjs (WebGPU only,
   * docs/design.md#captured-steps; elsewhere, or when the step cannot be captured, the steps
   * run eagerly after one log line). Default false.
   */
  captureSteps?: boolean;
  /** Where the captured steps' status lines go (default stderr). */
  log?: (line: string) => void;
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
  /** Captured G/D steps (`captureSteps`), or null: every step eager. */
  readonly captured: CapturedAdversarialSteps | null;

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
    this.captured = options.captureSteps
      ? new CapturedAdversarialSteps(this.gOptimizer, this.dOptimizer, options.log)
      : null;
  }

  /** One simultaneous G/D update, both at learning rate `lr` (LSR uses one schedule). */
  async step(batch: ExampleBatch, lr: number): Promise<StepResult> {
    const inputs = [batch.sources, batch.sourceLandmarks, batch.targetLandmarks, batch.target];
    const build = (t: tf.Tensor[]) => this.update(t, lr);
    return (
      (await this.captured?.step(build, inputs, lr, this.lossScale)) ??
      adversarialUpdate(build(inputs))
    );
  }

  /** The update on [sources, sourceLandmarks, targetLandmarks, target]. */
  private update(inputs: tf.Tensor[], lr: number): AdversarialUpdate {
    const [sources, sourceLandmarks, targetLandmarks, target] = inputs as [
      tf.Tensor5D,
      tf.Tensor5D,
      tf.Tensor4D,
      tf.Tensor4D,
    ];
    return {
      generate: () => {
        const latents = this.model.encode(sources, sourceLandmarks);
        const out = this.model.synthesize(latents, targetLandmarks);
        return { fake: out.image, styleLatent: latents.zs, layoutLatent: latents.zl };
      },
      real: target,
      landmarks: targetLandmarks,
      discriminator: discriminatorOf(this.model),
      losses: this.losses,
      g: { vars: this.gVariables, adam: this.gOptimizer, lr },
      d: { vars: this.dVariables, adam: this.dOptimizer, lr },
      vgg19: this.options.vgg19,
      vggFace: this.options.vggFace,
      lossScale: this.lossScale,
    };
  }

  dispose(): void {
    this.captured?.dispose();
    this.gOptimizer.dispose();
    this.dOptimizer.dispose();
  }
}
