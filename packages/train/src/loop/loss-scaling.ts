import { type DynamicLossScale, describeLossScaleEvent } from '../optim/loss-scale';
import { describeProblem, type FiniteReport } from './finite-check';
import type { StepResult } from './step-result';

/**
 * The verdict on a step after its one finite check, with dynamic loss scaling when `scale` is
 * given (optim/loss-scale.ts): the scale learns whether this step's gradients were finite
 * (halved on overflow, doubled after enough finite steps). A step whose loss terms are finite
 * but whose scaled gradients are not is an overflow, reported as such and not counted as a
 * divergence by the driver, unless the scale is already at its minimum.
 */
export function settleStep(
  report: FiniteReport,
  side: string,
  scale: DynamicLossScale | null,
): { problem: string | null; lossScale?: StepResult['lossScale'] } {
  const problem = describeProblem(report, side);
  if (!scale) return { problem };
  const used = scale.scale;
  const couldLower = scale.canLower;
  const event = scale.update(problem === null);
  const overflow = problem !== null && report.badTerms.length === 0 && couldLower;
  return {
    problem:
      problem && overflow && event ? `${describeLossScaleEvent(event)} (${problem})` : problem,
    lossScale: { scale: used, event, overflow },
  };
}
