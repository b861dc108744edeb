import { describe, expect, it } from 'vitest';
import { settleStep } from '../loop/loss-scaling';
import { DynamicLossScale, describeLossScaleEvent } from './loss-scale';

describe('DynamicLossScale', () => {
  it('halves on overflow, doubles after growthInterval finite steps, within its bounds', () => {
    const s = new DynamicLossScale({
      initialScale: 8,
      growthInterval: 3,
      minScale: 2,
      maxScale: 16,
    });
    expect(s.update(false)).toEqual({ kind: 'overflow', from: 8, to: 4 });
    expect([s.update(true), s.update(true)]).toEqual([null, null]);
    expect(s.update(true)).toEqual({ kind: 'growth', from: 4, to: 8, after: 3 });
    // An overflow resets the count of finite steps.
    s.update(true);
    s.update(true);
    s.update(false);
    expect(s.getState()).toEqual({ scale: 4, goodSteps: 0 });
    s.update(false);
    expect(s.canLower).toBe(false);
    expect(s.update(false)).toEqual({ kind: 'overflow', from: 2, to: 2 }); // at the minimum
    for (let i = 0; i < 9; i++) s.update(true); // 2 -> 4 -> 8 -> 16
    expect(s.scale).toBe(16);
    for (let i = 0; i < 3; i++) s.update(true);
    expect(s.scale).toBe(16); // at the maximum
    expect(describeLossScaleEvent({ kind: 'overflow', from: 65536, to: 32768 })).toBe(
      'gradient overflow at loss scale 65536: step skipped, scale → 32768',
    );
  });

  it('restores a state exactly and rejects scales that would not be exact', () => {
    const a = new DynamicLossScale({ growthInterval: 4 });
    a.update(true);
    a.update(true);
    const b = new DynamicLossScale({ growthInterval: 4 });
    b.setState(a.getState());
    expect([b.update(true), b.update(true)]).toEqual([
      null,
      { kind: 'growth', from: 32768, to: 65536, after: 4 },
    ]);
    expect(() => new DynamicLossScale({ initialScale: 1000 })).toThrow(/power of two/);
    expect(() => b.setState({ scale: 3, goodSteps: 0 })).toThrow(/cannot restore scale 3/);
    expect(() => new DynamicLossScale({ growthInterval: 0 })).toThrow(/growthInterval/);
  });

  it('settleStep: gradient overflow with finite losses is an overflow; a non-finite loss is not', () => {
    const finiteLoss = { values: { total: 1.5 }, badTerms: [], badGradients: ['w'] };
    const s = new DynamicLossScale({ initialScale: 4, minScale: 1 });
    const r = settleStep(finiteLoss, 'stage1', s);
    expect(r.lossScale).toEqual({
      scale: 4,
      event: { kind: 'overflow', from: 4, to: 2 },
      overflow: true,
    });
    expect(r.problem).toBe(
      'gradient overflow at loss scale 4: step skipped, scale → 2 (non-finite gradient of w)',
    );
    const nanLoss = { values: { total: Number.NaN }, badTerms: ['total'], badGradients: ['w'] };
    expect(settleStep(nanLoss, 'stage1', s).lossScale?.overflow).toBe(false);
    // At the minimum scale an overflow is a divergence again.
    expect(settleStep(finiteLoss, 'stage1', s).lossScale?.overflow).toBe(false);
    expect(settleStep({ ...finiteLoss, badGradients: [] }, 'stage1', null)).toEqual({
      problem: null,
    });
  });
});
