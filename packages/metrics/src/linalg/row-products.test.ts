import { describe, expect, it } from 'vitest';
import { multiplyRowsByRows } from './row-products';

describe('multiplyRowsByRows', () => {
  it('matches a naive triple loop, including row counts not divisible by 4', () => {
    const [rx, ry, d] = [7, 5, 3];
    const x = Float64Array.from({ length: rx * d }, (_, i) => Math.sin(i + 1));
    const y = Float64Array.from({ length: ry * d }, (_, i) => Math.cos(2 * i));
    const z = multiplyRowsByRows(x, rx, y, ry, d);
    for (let a = 0; a < rx; a++) {
      for (let b = 0; b < ry; b++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += x[a * d + k]! * y[b * d + k]!;
        expect(z[a * ry + b]).toBeCloseTo(s, 14);
      }
    }
  });

  it('symmetric mode equals the full product of X with itself', () => {
    const [r, d] = [7, 4]; // odd: exercises the partial 4 x 2 tiles on the diagonal
    const x = Float64Array.from({ length: r * d }, (_, i) => ((i * 37) % 11) - 5);
    expect(Array.from(multiplyRowsByRows(x, r, x, r, d, true))).toEqual(
      Array.from(multiplyRowsByRows(x, r, x, r, d)),
    );
  });
});
