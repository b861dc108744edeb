import { describe, expect, it } from 'vitest';
import { fineTuningLearningRate, fineTuningSteps } from './fine-tuning';
import { decayFactor, learningRateAt, lsrSchedule } from './learning-rate';

describe('learningRateAt (LSR schedule, docs/design.md#schedule)', () => {
  const s = lsrSchedule();
  const decayStart = 16_350_000 - 1_090_000;

  it('warms up linearly over the first 500 steps of batch 4', () => {
    expect(learningRateAt(0, s)).toBe(0);
    expect(learningRateAt(4 * 250, s)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(4 * 250 + 3, s)).toBeCloseTo(5e-4, 15); // same step
    expect(learningRateAt(4 * 499, s)).toBeCloseTo((499 / 500) * 1e-3, 15);
    expect(learningRateAt(4 * 500, s)).toBe(1e-3);
  });

  it('is constant until the decay window, then lr₀/max(1, 100t) (hyperbolic, code default)', () => {
    expect(learningRateAt(decayStart, s)).toBe(1e-3);
    expect(learningRateAt(decayStart + 1_090_000 * 0.01, s)).toBeCloseTo(1e-3, 12); // 100t = 1
    expect(learningRateAt(decayStart + 1_090_000 * 0.02, s)).toBeCloseTo(5e-4, 12); // halves by t = 0.02
    expect(learningRateAt(decayStart + 1_090_000 * 0.1, s)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(16_350_000, s)).toBeCloseTo(1e-5, 12);
    expect(learningRateAt(20_000_000, s)).toBeCloseTo(1e-5, 12); // clamped past the end
  });

  it('linear (supplement) reaches lr₀/100 at the end, halfway at t = 0.5', () => {
    const lin = lsrSchedule({ decay: 'linear' });
    expect(learningRateAt(decayStart, lin)).toBe(1e-3);
    expect(learningRateAt(decayStart + 545_000, lin)).toBeCloseTo(1e-3 * (1 - 0.99 * 0.5), 12);
    expect(learningRateAt(16_350_000, lin)).toBeCloseTo(1e-5, 12);
  });

  it('stage 1 (no decay) and bad input', () => {
    const stage1 = lsrSchedule({ decay: 'none', totalExamples: 1_090_000 });
    expect(learningRateAt(1_090_000, stage1)).toBe(1e-3);
    expect(() => learningRateAt(-1, s)).toThrow(/examplesSeen must be finite and >= 0/);
    expect(() => learningRateAt(0, lsrSchedule({ batchSize: 0 }))).toThrow(/invalid schedule/);
    expect(() => decayFactor('cosine' as 'linear', 0.5)).toThrow(/unknown decay shape "cosine"/);
  });
});

describe('fine-tuning schedule (docs/design.md#finetuning)', () => {
  it('steps by K at every boundary', () => {
    const ks = [1, 3, 4, 7, 8, 15, 16, 31, 32, 100];
    expect(ks.map(fineTuningSteps)).toEqual([24, 24, 60, 60, 100, 100, 200, 200, 400, 400]);
    expect(() => fineTuningSteps(0)).toThrow(/K must be an integer >= 1/);
  });

  it('is constant for the first half, then lr₀/max(1, 100t) over the second', () => {
    // 24 steps: steps 0..11 constant, step 12 starts the decay at t = 0, step 23 has t = 11/12.
    expect(fineTuningLearningRate(0, 24)).toBe(1e-3);
    expect(fineTuningLearningRate(11, 24)).toBe(1e-3);
    expect(fineTuningLearningRate(12, 24)).toBe(1e-3);
    expect(fineTuningLearningRate(13, 24)).toBeCloseTo(1e-3 / (100 / 12), 15);
    expect(fineTuningLearningRate(23, 24)).toBeCloseTo(1e-3 / ((100 * 11) / 12), 15);
    expect(fineTuningLearningRate(399, 400, 2e-3)).toBeCloseTo(2e-3 / ((100 * 199) / 200), 15);
    expect(() => fineTuningLearningRate(24, 24)).toThrow(/step must be an integer in \[0, 24\)/);
  });
});
