/**
 * Shape of the final learning-rate decay (docs/design.md#schedule, docs/design.md#lr-decay-shape).
 */
export type DecayShape = 'hyperbolic' | 'linear' | 'none';

export interface LearningRateSchedule {
  /** Base learning rate lr₀ (LSR: 1e-3). */
  baseLearningRate: number;
  /** Global batch size: converts examples seen into steps for the warm-up (LSR: 4). */
  batchSize: number;
  /** Linear warm-up 0 → lr₀ over this many global steps (LSR: 500). */
  warmupSteps: number;
  /** Examples at which training ends (LSR stage 2: 16,350,000 = 16,350 k). */
  totalExamples: number;
  /** Length of the final decay window in examples (LSR: 1,090,000). */
  decayExamples: number;
  /** 'hyperbolic' lr₀/max(1, 100t) (code, default), 'linear' to lr₀/100 (supplement), or 'none'. */
  decay: DecayShape;
}

/**
 * LSR's schedule (docs/design.md#schedule): warm-up 500 steps at batch 4, hyperbolic decay over the
 * last 1.09 M examples.
 */
export function lsrSchedule(overrides: Partial<LearningRateSchedule> = {}): LearningRateSchedule {
  return {
    baseLearningRate: 1e-3,
    batchSize: 4,
    warmupSteps: 500,
    totalExamples: 16_350_000,
    decayExamples: 1_090_000,
    decay: 'hyperbolic',
    ...overrides,
  };
}

/** Final-decay factor at fraction t ∈ [0,1] of the window: 1/max(1, 100t) or 1 − 0.99t. */
export function decayFactor(shape: DecayShape, t: number): number {
  const clamped = Math.min(1, Math.max(0, t));
  if (shape === 'hyperbolic') return 1 / Math.max(1, 100 * clamped);
  if (shape === 'linear') return 1 - (1 - 1 / 100) * clamped;
  if (shape === 'none') return 1;
  throw new Error(`unknown decay shape "${shape}" (expected hyperbolic, linear or none)`);
}

/**
 * Learning rate as a pure function of examples seen before this update (docs/design.md#schedule):
 *
 *   warm-up  w = min(1, step / warmupSteps),            step = floor(examples / batchSize)
 *   decay    t = (examples − (total − decayExamples)) / decayExamples, clamped to [0, 1]
 *   lr       = lr₀ · w · decayFactor(t)
 *
 * Being a function of examples (not steps of one run) it continues seamlessly across the stage-1 →
 * stage-2 hand-over and across resumes; the warm-up then only affects the very first steps.
 */
export function learningRateAt(examplesSeen: number, s: LearningRateSchedule): number {
  if (!(examplesSeen >= 0) || !Number.isFinite(examplesSeen))
    throw new Error(`learningRateAt: examplesSeen must be finite and >= 0, got ${examplesSeen}`);
  if (
    !(s.batchSize >= 1) ||
    !(s.warmupSteps >= 0) ||
    !(s.decayExamples >= 0) ||
    !(s.totalExamples >= s.decayExamples)
  ) {
    throw new Error(
      `learningRateAt: invalid schedule ${JSON.stringify(s)} (need batchSize >= 1, warmupSteps >= 0, totalExamples >= decayExamples >= 0)`,
    );
  }
  const step = Math.floor(examplesSeen / s.batchSize);
  const warmup = s.warmupSteps > 0 ? Math.min(1, step / s.warmupSteps) : 1;
  const decayStart = s.totalExamples - s.decayExamples;
  const t =
    s.decayExamples > 0
      ? (examplesSeen - decayStart) / s.decayExamples
      : examplesSeen >= decayStart
        ? 1
        : 0;
  return s.baseLearningRate * warmup * decayFactor(s.decay, t);
}
