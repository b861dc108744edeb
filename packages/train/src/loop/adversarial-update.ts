import * as tf from '@tensorflow/tfjs-core';
import { stepBoundary } from '@th/backend';
import type { FeatureNetwork } from '../features/feature-network';
import type { Discriminator } from '../losses/adversarial';
import type { LossConfig } from '../losses/loss-config';
import { stage2DiscriminatorLoss, stage2GeneratorLoss } from '../losses/stage-losses';
import type { Adam } from '../optim/adam';
import type { DynamicLossScale } from '../optim/loss-scale';
import { checkFinite } from './finite-check';
import { disposeLossGradients, type LossGradients, lossGradients, prefixed } from './gradients';
import { settleStep } from './loss-scaling';
import type { StepResult } from './step-result';

export interface GeneratorForward {
  fake: tf.Tensor4D;
  styleLatent: tf.Tensor;
  layoutLatent: tf.Tensor;
}

export interface AdversarialUpdate {
  /** Runs the generator side; called inside the G tape. */
  generate: () => GeneratorForward;
  real: tf.Tensor4D;
  landmarks: tf.Tensor4D;
  discriminator: Discriminator;
  losses: LossConfig;
  g: { vars: Record<string, tf.Variable>; adam: Adam; lr: number };
  d: { vars: Record<string, tf.Variable>; adam: Adam; lr: number };
  vgg19?: FeatureNetwork;
  vggFace?: FeatureNetwork;
  /** Dynamic loss scaling of both losses (mixed precision); absent: unscaled. */
  lossScale?: DynamicLossScale | null;
}

/**
 * One SIMULTANEOUS G/D update (docs/design.md#schedule, `alternate_G_D_training=False`): both
 * gradients are taken
 * from the same pre-update parameters (G's through D(x̂ ⊕ l); D's with x̂ held constant, R1 on
 * reals and R2 on fakes), checked for NaN/Inf, and only then applied, G first, D second. If
 * anything is non-finite neither side changes. Shared by stage 2 and subject fine-tuning.
 * Under loss scaling both losses are multiplied by the one scale and Adam divides it out.
 */
export async function adversarialUpdate(u: AdversarialUpdate): Promise<StepResult> {
  stepBoundary(); // WebGPU: same buffers as the last step, so cached bind groups are reused
  const scale = u.lossScale?.scale ?? 1;
  const { g, d } = adversarialGradients(u, scale);
  let probes: tf.Scalar[] = [];
  try {
    probes = [u.g.adam.nonFiniteProbe(g.grads), u.d.adam.nonFiniteProbe(d.grads)];
    const report = await checkFinite(adversarialTerms(g, d), [
      { probe: probes[0]!, gradients: g.grads },
      { probe: probes[1]!, gradients: d.grads },
    ]);
    const { problem, lossScale } = settleStep(report, 'stage2', u.lossScale ?? null);
    const scaled = lossScale ? { lossScale } : {};
    if (problem) return { applied: false, losses: report.values, problem, ...scaled };
    u.g.adam.apply(g.grads, u.g.lr, 1 / scale);
    u.d.adam.apply(d.grads, u.d.lr, 1 / scale);
    return { applied: true, losses: report.values, ...scaled };
  } finally {
    tf.dispose(probes);
    disposeLossGradients(g);
    disposeLossGradients(d);
  }
}

/**
 * Both sides' gradients from the same parameters (the first half of `adversarialUpdate`, shared
 * with captured steps): G's through D(x̂ ⊕ l), then D's with x̂ held constant. With a loss scale
 * ≠ 1 (a number, or a scalar tensor in a captured step) both losses are multiplied by it.
 */
export function adversarialGradients(
  u: AdversarialUpdate,
  scale: number | tf.Scalar,
): { g: LossGradients; d: LossGradients } {
  let fake: tf.Tensor4D | null = null;
  const g = lossGradients(
    () => {
      const out = u.generate();
      fake = tf.keep(tf.clone(out.fake));
      return stage2GeneratorLoss(
        {
          fake: out.fake,
          real: u.real,
          landmarks: u.landmarks,
          discriminator: u.discriminator,
          styleLatent: out.styleLatent,
          layoutLatent: out.layoutLatent,
          vgg19: u.vgg19,
          vggFace: u.vggFace,
        },
        u.losses,
      );
    },
    u.g.vars,
    scale,
  );
  const constantFake = fake as unknown as tf.Tensor4D;
  try {
    const d = lossGradients(
      () =>
        stage2DiscriminatorLoss(
          {
            real: u.real,
            fake: constantFake,
            landmarks: u.landmarks,
            discriminator: u.discriminator,
            step: u.d.adam.step,
          },
          u.losses,
        ),
      u.d.vars,
      scale,
    );
    return { g, d };
  } catch (err) {
    disposeLossGradients(g);
    throw err;
  } finally {
    constantFake.dispose();
  }
}

/** The loss terms a stage-2 step reports, in the order the finite check reads them. */
export function adversarialTerms(g: LossGradients, d: LossGradients): Record<string, tf.Scalar> {
  return {
    ...prefixed('g.', g.terms),
    'g.total': g.total,
    ...prefixed('d.', d.terms),
    'd.total': d.total,
  };
}
