import type { LossScaleEvent } from '../optim/loss-scale';

/** What one optimisation step reports to the driver. */
export interface StepResult {
  /** False when the NaN/Inf guard skipped the update (parameters and optimiser states unchanged). */
  applied: boolean;
  /** Unweighted loss terms plus the weighted totals (`g.total`, `d.total`, `total`), as numbers. */
  losses: Record<string, number>;
  /** Why the step was skipped, naming terms / variables. */
  problem?: string;
  /**
   * Under dynamic loss scaling: the scale this step's loss was multiplied by, and what the
   * finite check did to it. `overflow`: the scaled gradients were not finite while the loss
   * was, the step was skipped and the scale lowered (not a divergence: the driver does not
   * count it as a bad step).
   */
  lossScale?: { scale: number; event: LossScaleEvent | null; overflow: boolean };
}
