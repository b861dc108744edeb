import { describe, expect, it } from 'vitest';
import { clipFrameRule, selectFrameIndices } from './select-frames';

describe('selectFrameIndices (docs/design.md#frame-rule)', () => {
  it('keeps multiples of floor(n/10)+1', () => {
    expect(selectFrameIndices(100)).toEqual([0, 11, 22, 33, 44, 55, 66, 77, 88, 99]);
    // the fixture clip has 164 frames: stride 17
    expect(selectFrameIndices(164)).toEqual([0, 17, 34, 51, 68, 85, 102, 119, 136, 153]);
    expect(selectFrameIndices(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(selectFrameIndices(0)).toEqual([]);
  });

  it('matches the modulo rule literally and never keeps more than 10 frames', () => {
    for (let n = 1; n <= 400; n++) {
      const stride = Math.floor(n / 10) + 1;
      const literal = Array.from({ length: n }, (_, i) => i).filter((i) => i % stride === 0);
      const kept = selectFrameIndices(n);
      expect(kept).toEqual(literal);
      expect(kept.length).toBeLessThanOrEqual(10);
    }
  });

  it('rejects a non-integer or negative count', () => {
    expect(() => selectFrameIndices(-1)).toThrow(/non-negative integer/);
    expect(() => selectFrameIndices(2.5)).toThrow(/non-negative integer/);
  });
});

describe('clipFrameRule (th-data prepare --clip-frames)', () => {
  it("is LSR's rule at 10, keeps at most N spread over the clip, or every frame", () => {
    for (let n = 0; n <= 400; n++) {
      expect(clipFrameRule(10)(n)).toEqual(selectFrameIndices(n));
      const kept = clipFrameRule(24)(n);
      expect(kept.length).toBeLessThanOrEqual(24);
      expect(kept.length).toBe(Math.min(n, Math.ceil(n / (Math.floor(n / 24) + 1))));
      expect(clipFrameRule('all')(n)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    expect(clipFrameRule(24)(164)).toEqual(Array.from({ length: 24 }, (_, i) => i * 7));
  });

  it('rejects a count that is not a positive integer, naming the flag', () => {
    expect(() => clipFrameRule(0)).toThrow(/--clip-frames must be a positive integer or "all"/);
    expect(() => clipFrameRule(2.5)).toThrow(/--clip-frames/);
  });
});
