import type { LearningRateSchedule } from '../schedule/learning-rate';
import type { TrainConfig } from './train-config';

/**
 * docs/design.md#schedule: stage 2 runs 15,260 k examples and decays over the last 1,090 k of them.
 */
const STAGE2_DECAY_FRACTION = 1090 / 15260;

/**
 * The learning-rate schedule of one run, counted in examples (docs/design.md#schedule): the run
 * ends at
 * `startExamples + steps·batch`; warm-up and decay window resolved from 'auto'.
 */
export function runSchedule(config: TrainConfig, startExamples: number): LearningRateSchedule {
  const runExamples = config.steps * config.batch;
  const s = config.schedule;
  const warmupSteps =
    s.warmupSteps === 'auto' ? Math.min(500, Math.ceil(config.steps / 10)) : s.warmupSteps;
  const decayExamples =
    s.decayExamples === 'auto'
      ? config.stage === 1
        ? 0
        : Math.round(runExamples * STAGE2_DECAY_FRACTION)
      : s.decayExamples;
  return {
    baseLearningRate: s.baseLearningRate,
    batchSize: config.batch,
    warmupSteps,
    totalExamples: startExamples + runExamples,
    decayExamples: Math.min(decayExamples, startExamples + runExamples),
    decay: decayExamples > 0 ? s.decay : 'none',
  };
}
