/**
 * Subject fine-tuning (docs/design.md#finetuning, [CODE] `main.py: infer_single_example`): z^s and
 * z^l stay frozen
 * (computed once from the K shots; the encoders do not run), and G^l, G^I and D are trained with the
 * stage-2 losses incl. R1/R2 (docs/design.md#loss-finetune) under fresh Adams (lr₀ 1e-3, β (0,
 * 0.999)), batch 1, for
 * 24/60/100/200/400 steps by K, lr constant for the first half then lr₀/max(1, 100t). G and D are
 * updated simultaneously from the same forward pass (docs/design.md#schedule). Targets are the K
 * shots (the
 * protocol default of docs/design.md#finetune-targets), visited in shuffled passes. The loop is
 * @th/train's `FineTuner`,
 * given the subject's latents so the encoders do not run again.
 *
 * Perceptual terms need VGG19 / VGG-Face weights that do not ship; without `vgg19`/`vggFace` their
 * weights are set to 0 and the report says so.
 */
import type { FeatureNetwork } from '@th/features';
import { FineTuner, fineTuningSteps, type LossConfig, lossConfig } from '@th/train';
import type { Subject } from './subject';

export interface FinetuneOptions {
  /** Default: LSR's rule by K (docs/design.md#finetuning). */
  steps?: number;
  /** lr₀ (default 1e-3). */
  learningRate?: number;
  losses?: LossConfig;
  vgg19?: FeatureNetwork;
  vggFace?: FeatureNetwork;
  /** Seed of the target order. */
  seed?: number;
  /**
   * Replay each fine-tuning step from a captured graph (WebGPU with @th's runtime; elsewhere one
   * `log` line and eager steps): the same updates, bit for bit, without tfjs' per-kernel work.
   * Default false.
   */
  captureSteps?: boolean;
  /** Where the captured-steps line goes (default console.info). */
  log?: (line: string) => void;
  /** Called after every update with 1-based step, total and the two losses. */
  onStep?: (
    step: number,
    total: number,
    losses: { generator: number; discriminator: number },
  ) => void;
}

export interface FinetuneReport {
  steps: number;
  generatorLoss: number[];
  discriminatorLoss: number[];
  /** Which perceptual terms were active. */
  notes: string[];
  ms: number;
}

/** The loss weights with the perceptual terms whose networks are missing set to 0, and why. */
function availableLosses(options: FinetuneOptions): { losses: LossConfig; notes: string[] } {
  const notes: string[] = [];
  let losses = options.losses ?? lossConfig();
  if (!options.vgg19 && losses.stage2.vgg19 > 0) {
    losses = lossConfig({ ...losses, stage2: { ...losses.stage2, vgg19: 0 } });
    notes.push('VGG19 perceptual term off (no VGG19 weights given)');
  }
  if (!options.vggFace && (losses.stage2.vggFacePerLayer > 0 || losses.stage2.identity > 0)) {
    losses = lossConfig({
      ...losses,
      stage2: { ...losses.stage2, vggFacePerLayer: 0, identity: 0 },
    });
    notes.push('VGG-Face perceptual and identity terms off (no VGG-Face network given)');
  }
  return { losses, notes };
}

export async function finetuneSubject(
  subject: Subject,
  options: FinetuneOptions,
): Promise<FinetuneReport> {
  if (!subject.model.discriminator) {
    throw new Error(
      'finetune: this model has no discriminator (the checkpoint holds only the generator side); fine-tuning needs D',
    );
  }
  const steps = options.steps ?? fineTuningSteps(subject.k);
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`finetune: steps must be an integer >= 1, got ${steps}`);
  const { losses, notes } = availableLosses(options);
  const tuner = new FineTuner(
    subject.model,
    { shots: subject.shots, shotLandmarks: subject.shotLandmarkImages, latents: subject.latents },
    {
      steps,
      losses,
      vgg19: options.vgg19,
      vggFace: options.vggFace,
      seed: options.seed ?? 0,
      learningRate: options.learningRate,
      ...(options.captureSteps ? { captureSteps: true, log: options.log ?? console.info } : {}),
    },
  );
  const report: FinetuneReport = { steps, generatorLoss: [], discriminatorLoss: [], notes, ms: 0 };
  const start = performance.now();
  try {
    for (let step = 1; step <= steps; step++) {
      const result = await tuner.step();
      if (!result.applied) {
        throw new Error(
          `finetune: step ${step} was not applied (${result.problem}); the model is left as updated so far`,
        );
      }
      const [generator, discriminator] = [result.losses['g.total']!, result.losses['d.total']!];
      report.generatorLoss.push(generator);
      report.discriminatorLoss.push(discriminator);
      options.onStep?.(step, steps, { generator, discriminator });
    }
  } finally {
    tuner.dispose();
  }
  report.ms = performance.now() - start;
  return report;
}
