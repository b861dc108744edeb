import * as tf from '@tensorflow/tfjs-core';
import { stepBoundary } from '@th/backend';
import type { LsrModel } from '@th/models';
import type { ExampleBatch } from '../data/example-source';
import type { FeatureNetwork } from '../features/feature-network';
import { defaultLossConfig, type LossConfig } from '../losses/loss-config';
import { stage1Loss } from '../losses/stage-losses';
import { Adam, type AdamOptions } from '../optim/adam';
import type { DynamicLossScale, LossScaleOptions } from '../optim/loss-scale';
import { checkFinite } from './finite-check';
import { disposeLossGradients, lossGradients } from './gradients';
import { lossScaleFor } from './loss-scale-default';
import { settleStep } from './loss-scaling';
import type { StepResult } from './step-result';
import { variablesOf } from './variables';

export interface Stage1Options {
  losses?: LossConfig;
  /** Feature network for the aux-RGB perceptual term (needed when stage1.auxVgg19 > 0). */
  vgg19?: FeatureNetwork;
  adam?: AdamOptions;
  /** Dynamic loss scaling (see `lossScaleFor`; default: on when the backend runs precision mixed). */
  lossScale?: LossScaleOptions | boolean;
}

/**
 * Stage 1, layout pre-training (docs/design.md#loss-stage1): E^l and G^l under one Adam with
 * 10·CE(G^l logits, oracle parsing) + 0.01·VGG19(aux RGB, x) + 1·mean(z^l)². z^l is the mean of
 * E^l over the K shots; G^I, E^s and D are not run.
 */
export class Stage1Trainer {
  readonly variables: Record<string, tf.Variable>;
  readonly optimizer: Adam;
  readonly losses: LossConfig;
  /** The dynamic loss scale, or null (unscaled: precision f32). */
  readonly lossScale: DynamicLossScale | null;

  constructor(
    readonly model: LsrModel,
    private readonly options: Stage1Options = {},
  ) {
    this.losses = options.losses ?? defaultLossConfig();
    this.variables = variablesOf(model, ['layoutEncoder', 'layoutGenerator']);
    this.optimizer = new Adam(this.variables, options.adam);
    this.lossScale = lossScaleFor(options.lossScale);
  }

  /** One update at learning rate `lr`; skipped (and reported) if anything is non-finite. */
  async step(batch: ExampleBatch, lr: number): Promise<StepResult> {
    stepBoundary(); // WebGPU: same buffers as the last step, so cached bind groups are reused
    const scale = this.lossScale?.scale ?? 1;
    const g = lossGradients(
      () => {
        const zl = layoutLatent(this.model, batch);
        const { logits, auxRgb } = this.model.layoutGenerator.forward(batch.targetLandmarks, zl);
        return stage1Loss(
          {
            layoutLogits: logits,
            labels: batch.targetSegmentation,
            auxRgb,
            real: batch.target,
            layoutLatent: zl,
            vgg19: this.options.vgg19,
          },
          this.losses,
        );
      },
      this.variables,
      scale,
    );
    const probe = this.optimizer.nonFiniteProbe(g.grads);
    try {
      const report = await checkFinite({ ...g.terms, total: g.total }, [
        { probe, gradients: g.grads },
      ]);
      const { problem, lossScale } = settleStep(report, 'stage1', this.lossScale);
      const scaled = lossScale ? { lossScale } : {};
      if (problem) return { applied: false, losses: report.values, problem, ...scaled };
      this.optimizer.apply(g.grads, lr, 1 / scale);
      return { applied: true, losses: report.values, ...scaled };
    } finally {
      probe.dispose();
      disposeLossGradients(g);
    }
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** z^l = mean over the K shots of E^l(shot ⊕ landmarks) [B, latent] (E^s is not needed in stage 1). */
export function layoutLatent(model: LsrModel, batch: ExampleBatch): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, k, h, w] = batch.sources.shape;
    const x = tf.reshape(tf.concat([batch.sources, batch.sourceLandmarks], 4), [
      b * k,
      h,
      w,
      6,
    ]) as tf.Tensor4D;
    return tf.mean(tf.reshape(model.layoutEncoder.forward(x), [b, k, -1]), 1) as tf.Tensor2D;
  });
}
