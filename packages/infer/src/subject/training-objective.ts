/**
 * The objective a checkpoint was trained with, for fine-tuning it (docs/design.md#finetuning).
 *
 * Why: fine-tuning continues training on one subject, so its loss weights should be the ones the
 * model learned under. LSR's defaults (adversarial 1, L1 1, VGG19 0.1, VGG-Face) assume pretrained
 * perceptual networks; without them only adversarial + L1 remain at 1 : 1, and at batch 1 the
 * adversarial term then dominates and pulls the outputs away from the subject (measured on
 * campaign e's model: fine-tuning cost the training identities 1–1.5 dB). th-train records its
 * configuration in every checkpoint (metadata `extra.train`), so the weights it used, and the
 * fixed random-feature proxy it may have used in place of VGG19 (rebuilt from the run's seed), can
 * be restored exactly.
 */
import type { FeatureNetwork } from '@th/features';
import { randomFeatureNetwork } from '@th/features';
import type { CheckpointMeta } from '@th/models';
import { type LossConfig, lossConfig } from '@th/train';

/**
 * Which loss weights fine-tuning uses (`--finetune-losses` of th-eval and th reenact): 'training'
 * the checkpoint's own (`trainingObjective`), 'lsr' LSR's defaults.
 */
export type FinetuneLosses = 'training' | 'lsr';

/** Whether `value` names a `FinetuneLosses` choice. */
export const isFinetuneLosses = (value: unknown): value is FinetuneLosses =>
  value === 'training' || value === 'lsr';

export interface TrainingObjective {
  /** Loss weights for `Subject.finetune({ losses })`. */
  losses: LossConfig;
  /**
   * The random-feature proxy the run trained its VGG19 term with (same seed, same features), when
   * it trained with one and that term is on; pass it as `vgg19` and dispose of it afterwards.
   */
  vgg19Proxy: (FeatureNetwork & { dispose(): void }) | null;
  /** Where the weights come from, one line for logs and reports. */
  note: string;
}

interface RecordedTraining {
  losses?: unknown;
  vgg19?: unknown;
  seed?: unknown;
}

/**
 * The training objective recorded in `meta` (a checkpoint written by th-train, stripped or not),
 * or LSR's default weights when the checkpoint records none. Throws, naming `meta`'s source, when
 * the recorded weights are malformed.
 */
export function trainingObjective(
  meta: CheckpointMeta,
  options: { source?: string; log?: (line: string) => void } = {},
): TrainingObjective {
  const train = (meta.extra as { train?: RecordedTraining }).train;
  if (!train || typeof train.losses !== 'object' || train.losses === null) {
    return {
      losses: lossConfig(),
      vgg19Proxy: null,
      note: "fine-tuning losses: LSR's defaults (the checkpoint records no training losses)",
    };
  }
  const recorded = train.losses as Parameters<typeof lossConfig>[0];
  let losses: LossConfig;
  try {
    losses = lossConfig(recorded);
  } catch (error) {
    throw new Error(
      `${options.source ?? 'checkpoint'}: its recorded training losses (metadata extra.train.losses) are invalid: ${(error as Error).message}`,
    );
  }
  const useProxy = train.vgg19 === 'proxy' && losses.stage2.vgg19 > 0;
  if (useProxy && !Number.isInteger(train.seed))
    throw new Error(
      `${options.source ?? 'checkpoint'}: trained with the VGG19 proxy but records no integer seed (metadata extra.train.seed) to rebuild it`,
    );
  const s = losses.stage2;
  const perceptual = useProxy
    ? `VGG19 ${s.vgg19} (random-feature proxy, seed ${train.seed}, as in training)`
    : `VGG19 ${s.vgg19}`;
  return {
    losses,
    vgg19Proxy: useProxy
      ? randomFeatureNetwork(train.seed as number, options.log ? { log: options.log } : {})
      : null,
    note: `fine-tuning losses: the checkpoint's training losses (adversarial ${s.adversarial}, L1 ${s.l1}, ${perceptual}, R1/R2 γ ${s.r1Gamma}/${s.r2Gamma})`,
  };
}
