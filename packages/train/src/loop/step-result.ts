/** What one optimisation step reports to the driver. */
export interface StepResult {
  /** False when the NaN/Inf guard skipped the update (parameters and optimiser states unchanged). */
  applied: boolean;
  /** Unweighted loss terms plus the weighted totals (`g.total`, `d.total`, `total`), as numbers. */
  losses: Record<string, number>;
  /** Why the step was skipped, naming terms / variables. */
  problem?: string;
}
