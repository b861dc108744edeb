import * as tf from '@tensorflow/tfjs-core';
import { type Discriminator, discriminate } from './adversarial';

/** Which side a gradient penalty regularises: R1 on reals, R2 on fakes. */
export type PenaltyTarget = 'real' | 'fake';

/**
 * LSR's gradient penalties (docs/design.md#borrowed-blocks, docs/design.md#loss-stage2; Mescheder
 * et al. 2018 define R1/R2 on the raw logit,
 * LSR differentiates the per-example softplus loss instead):
 *
 *   R1 = (γ/2) · mean_n ‖∇_{x_n} softplus(-D(x_n ⊕ l_n))‖²      (reals)
 *   R2 = (γ/2) · mean_n ‖∇_{x̂_n} softplus( D(x̂_n ⊕ l_n))‖²     (fakes)
 *
 * The gradient is taken w.r.t. the IMAGE channels only (the landmarks are a constant input), and
 * the squared norm sums over H, W, C. Because D treats examples independently, the gradient of the
 * summed loss gives each example's own gradient. Equivalent closed form: (γ/2)·σ(∓D)²·‖∇D‖².
 *
 * The result is differentiable w.r.t. D's parameters (nested gradient), which requires every op in
 * D to have a correct second derivative (see @th/backend's safe gradients).
 */
export function gradientPenalty(
  d: Discriminator,
  images: tf.Tensor4D,
  landmarks: tf.Tensor4D,
  target: PenaltyTarget,
  gamma = 10,
): tf.Scalar {
  if (target !== 'real' && target !== 'fake')
    throw new Error(`gradientPenalty: target must be 'real' or 'fake', got "${target}"`);
  if (!(gamma >= 0)) throw new Error(`gradientPenalty: gamma must be >= 0, got ${gamma}`);
  const sign = target === 'real' ? -1 : 1;
  return tf.tidy(() => {
    const perExampleLossSum = (x: tf.Tensor) =>
      tf.sum(tf.softplus(tf.mul(discriminate(d, x as tf.Tensor4D, landmarks), sign)));
    const g = tf.grad(perExampleLossSum)(images);
    const squaredNorms = tf.sum(tf.square(g), [1, 2, 3]);
    return tf.mul(tf.mean(squaredNorms), gamma / 2) as tf.Scalar;
  });
}

/** R1 on real images (γ = 10 in LSR). */
export function r1Penalty(
  d: Discriminator,
  real: tf.Tensor4D,
  landmarks: tf.Tensor4D,
  gamma = 10,
): tf.Scalar {
  return gradientPenalty(d, real, landmarks, 'real', gamma);
}

/** R2 on generated images (γ = 10 in LSR). Pass the fakes detached from G's graph for D's step. */
export function r2Penalty(
  d: Discriminator,
  fake: tf.Tensor4D,
  landmarks: tf.Tensor4D,
  gamma = 10,
): tf.Scalar {
  return gradientPenalty(d, fake, landmarks, 'fake', gamma);
}

/**
 * Lazy regularisation (StyleGAN2, Karras et al. 2020 §3.1): evaluate the penalty only every
 * `interval` D steps and multiply it by `interval`, so its expected gradient is unchanged while
 * the double back-propagation runs 1/interval as often. interval = 1 is LSR's every-step form.
 *
 * Returns the multiplier for this step: `interval` when `step % interval === 0`, else 0 (skip).
 */
export function lazyPenaltyWeight(step: number, interval: number): number {
  if (!Number.isInteger(interval) || interval < 1)
    throw new Error(`lazy penalty interval must be an integer >= 1, got ${interval}`);
  if (!Number.isInteger(step) || step < 0)
    throw new Error(`lazy penalty step must be an integer >= 0, got ${step}`);
  return step % interval === 0 ? interval : 0;
}
