import { describe, expect, it } from 'vitest';
import { formulaWeights } from './formula-weights';

describe('formulaWeights', () => {
  it('fills tensor t, element i with the formula, in order, rounded to float32', () => {
    const specs = [
      { name: 'a', shape: [2, 3], scale: 1 },
      { name: 'b', shape: [4], scale: 0.1 },
    ];
    const calls: string[] = [];
    const weights = formulaWeights(specs, (spec, t) => {
      calls.push(`${spec.name}${t}`);
      return (i) => spec.scale * (10 * t + i);
    });
    expect(calls).toEqual(['a0', 'b1']);
    expect([...weights.keys()]).toEqual(['a', 'b']);
    expect(weights.get('a')!.shape).toEqual([2, 3]);
    expect(Array.from(weights.get('a')!.data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(weights.get('b')!.data)).toEqual(
      [10, 11, 12, 13].map((v) => Math.fround(0.1 * v)),
    );
  });

  it('refuses a name listed twice', () => {
    const spec = { name: 'w', shape: [1] };
    expect(() => formulaWeights([spec, spec], () => () => 0)).toThrow(/"w" is listed twice/);
  });
});
