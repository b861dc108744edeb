import { decayFactor } from './learning-rate';

/**
 * Number of subject fine-tuning steps for K shots (docs/design.md#finetuning, the code's automatic
 * rule):
 * K<4 → 24; 4–7 → 60; 8–15 → 100; 16–31 → 200; ≥32 → 400.
 */
export function fineTuningSteps(k: number): number {
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`fineTuningSteps: K must be an integer >= 1, got ${k}`);
  if (k < 4) return 24;
  if (k < 8) return 60;
  if (k < 16) return 100;
  if (k < 32) return 200;
  return 400;
}

/**
 * Fine-tuning learning rate at update `step` (0-based) of `totalSteps` (docs/design.md#finetuning):
 * constant lr₀ for
 * the first half, then lr₀/max(1, 100t) with t = (step − half)/(totalSteps − half) over the second
 * half, half = floor(totalSteps/2). No warm-up.
 */
export function fineTuningLearningRate(
  step: number,
  totalSteps: number,
  baseLearningRate = 1e-3,
): number {
  if (!Number.isInteger(totalSteps) || totalSteps < 1)
    throw new Error(
      `fineTuningLearningRate: totalSteps must be an integer >= 1, got ${totalSteps}`,
    );
  if (!Number.isInteger(step) || step < 0 || step >= totalSteps) {
    throw new Error(
      `fineTuningLearningRate: step must be an integer in [0, ${totalSteps}), got ${step}`,
    );
  }
  const half = Math.floor(totalSteps / 2);
  if (step < half) return baseLearningRate;
  return baseLearningRate * decayFactor('hyperbolic', (step - half) / (totalSteps - half));
}
