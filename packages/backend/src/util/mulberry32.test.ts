import { describe, expect, it } from 'vitest';
import { mulberry32Step } from './rng';

describe('mulberry32Step', () => {
  it('matches an independent Python implementation of mulberry32 (seed 1)', () => {
    // Reference from a Python transcription of Tommy Ettinger's mulberry32 (32-bit arithmetic).
    const expected = [
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741,
    ];
    let state = 1;
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      const step = mulberry32Step(state);
      got.push(step.value);
      state = step.state;
    }
    expect(got).toEqual(expected);
  });
});
