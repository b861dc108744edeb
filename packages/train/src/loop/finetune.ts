import * as tf from '@tensorflow/tfjs-core';
import { mulberry32, shuffleInPlace } from '@th/data';
import type { Latents, LsrModel } from '@th/models';
import type { FeatureNetwork } from '../features/feature-network';
import { defaultLossConfig, type LossConfig } from '../losses/loss-config';
import { Adam, type AdamOptions } from '../optim/adam';
import type { DynamicLossScale, LossScaleOptions } from '../optim/loss-scale';
import { fineTuningLearningRate, fineTuningSteps } from '../schedule/fine-tuning';
import { type AdversarialUpdate, adversarialUpdate } from './adversarial-update';
import { CapturedAdversarialSteps } from './captured-step';
import { discriminatorOf } from './discriminator-fn';
import { lossScaleFor } from './loss-scale-default';
import type { StepResult } from './step-result';
import { variablesOf } from './variables';

export interface FineTuneInputs {
  /** The K shots of ONE identity and their landmark images, [1, K, H, W, 3]. */
  shots: tf.Tensor5D;
  shotLandmarks: tf.Tensor5D;
  /**
   * Extra frames of the subject to use as targets instead of the K shots (the released code's
   * variant: all source frames, docs/design.md#finetune-targets). Default: the K shots themselves
   * (protocol default).
   */
  targets?: { images: tf.Tensor4D; landmarks: tf.Tensor4D };
  /**
   * z^s, z^l already computed from these shots (e.g. by a subject): a frozen copy is kept and the
   * encoders are not run again. Default: encoded here.
   */
  latents?: Latents;
}

export interface FineTuneOptions {
  /** Default: LSR's rule by K, docs/design.md#finetuning (24 / 60 / 100 / 200 / 400). */
  steps?: number;
  /** lr₀ (default 1e-3): constant for the first half, then lr₀/max(1, 100t). */
  learningRate?: number;
  losses?: LossConfig;
  vgg19?: FeatureNetwork;
  vggFace?: FeatureNetwork;
  adam?: AdamOptions;
  /** Seed of the target order (batch 1, targets drawn as shuffled passes). */
  seed?: number;
  /** Dynamic loss scaling (see `lossScaleFor`; default: on when the backend runs precision mixed). */
  lossScale?: LossScaleOptions | boolean;
  /** Captured steps, as `Stage2Options.captureSteps` (WebGPU only; default false). */
  captureSteps?: boolean;
  /** Where the captured steps' status lines go (default stderr). */
  log?: (line: string) => void;
}

/**
 * Subject fine-tuning (docs/design.md#finetuning): z^s, z^l computed ONCE from the K shots and
 * frozen (the encoders
 * are not run again), then G^l, G^I and D trained with the stage-2 losses incl. R1/R2 under fresh
 * Adams, batch 1, for `steps` updates at the fine-tuning schedule.
 */
export class FineTuner {
  readonly latents: Latents;
  readonly steps: number;
  readonly gVariables: Record<string, tf.Variable>;
  readonly dVariables: Record<string, tf.Variable>;
  private readonly gAdam: Adam;
  private readonly dAdam: Adam;
  private readonly images: tf.Tensor4D;
  private readonly landmarks: tf.Tensor4D;
  private readonly random: () => number;
  private order: number[] = [];
  private done = 0;
  readonly losses: LossConfig;
  /** The dynamic loss scale shared by G and D, or null (unscaled: precision f32). */
  readonly lossScale: DynamicLossScale | null;
  /** Captured G/D steps (`captureSteps`), or null: every step eager. */
  readonly captured: CapturedAdversarialSteps | null;

  constructor(
    readonly model: LsrModel,
    inputs: FineTuneInputs,
    private readonly options: FineTuneOptions = {},
  ) {
    const [b, k, h, w, c] = inputs.shots.shape;
    if (b !== 1)
      throw new Error(`FineTuner: shots must hold ONE identity ([1, K, H, W, 3]), got batch ${b}`);
    this.steps = options.steps ?? fineTuningSteps(k);
    if (!Number.isInteger(this.steps) || this.steps < 1)
      throw new Error(`FineTuner: steps must be an integer >= 1, got ${this.steps}`);
    this.losses = options.losses ?? defaultLossConfig();
    this.latents = inputs.latents
      ? { zs: tf.clone(inputs.latents.zs), zl: tf.clone(inputs.latents.zl) }
      : model.encode(inputs.shots, inputs.shotLandmarks);
    this.images = inputs.targets
      ? tf.clone(inputs.targets.images)
      : (tf.reshape(inputs.shots, [k, h, w, c]) as tf.Tensor4D);
    this.landmarks = inputs.targets
      ? tf.clone(inputs.targets.landmarks)
      : (tf.reshape(inputs.shotLandmarks, [k, h, w, c]) as tf.Tensor4D);
    this.gVariables = variablesOf(model, ['layoutGenerator', 'imageGenerator']);
    this.dVariables = variablesOf(model, ['discriminator']);
    this.gAdam = new Adam(this.gVariables, options.adam);
    this.dAdam = new Adam(this.dVariables, options.adam);
    this.random = mulberry32(options.seed ?? 0);
    this.lossScale = lossScaleFor(options.lossScale);
    this.captured = options.captureSteps
      ? new CapturedAdversarialSteps(this.gAdam, this.dAdam, options.log)
      : null;
  }

  /** Updates taken so far. */
  get stepsDone(): number {
    return this.done;
  }

  /** The next update; throws once `steps` have been taken. */
  async step(): Promise<StepResult> {
    if (this.done >= this.steps) throw new Error(`FineTuner: all ${this.steps} steps are done`);
    const lr = fineTuningLearningRate(this.done, this.steps, this.options.learningRate);
    if (this.order.length === 0)
      this.order = shuffleInPlace(
        Array.from({ length: this.images.shape[0] }, (_, i) => i),
        this.random,
      );
    const i = this.order.shift()!;
    const real = tf.slice(this.images, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
    const landmarks = tf.slice(this.landmarks, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
    try {
      const build = (t: tf.Tensor[]) => this.update(t as [tf.Tensor4D, tf.Tensor4D], lr);
      const result =
        (await this.captured?.step(build, [real, landmarks], lr, this.lossScale)) ??
        (await adversarialUpdate(build([real, landmarks])));
      this.done += 1;
      return { ...result, losses: { ...result.losses, lr } };
    } finally {
      real.dispose();
      landmarks.dispose();
    }
  }

  /** The update on one target frame and its landmarks ([1, H, W, 3] each). */
  private update([real, landmarks]: [tf.Tensor4D, tf.Tensor4D], lr: number): AdversarialUpdate {
    return {
      generate: () => ({
        fake: this.model.synthesize(this.latents, landmarks).image,
        styleLatent: this.latents.zs,
        layoutLatent: this.latents.zl,
      }),
      real,
      landmarks,
      discriminator: discriminatorOf(this.model),
      losses: this.losses,
      g: { vars: this.gVariables, adam: this.gAdam, lr },
      d: { vars: this.dVariables, adam: this.dAdam, lr },
      vgg19: this.options.vgg19,
      vggFace: this.options.vggFace,
      lossScale: this.lossScale,
    };
  }

  /** All remaining steps; `onStep` sees each result. */
  async run(onStep?: (step: number, result: StepResult) => void): Promise<void> {
    while (this.done < this.steps) {
      const r = await this.step();
      onStep?.(this.done, r);
    }
  }

  /** Frees the optimisers, the frozen latents and the target copies (the model stays). */
  dispose(): void {
    this.captured?.dispose();
    this.gAdam.dispose();
    this.dAdam.dispose();
    tf.dispose([this.latents.zs, this.latents.zl, this.images, this.landmarks]);
  }
}
