import { describe, expect, it } from 'vitest';
import { halfToFloat, roundToHalf } from './half-float';

describe('roundToHalf', () => {
  it('equals the binary16 value closest to each float32 (every half checked both ways)', () => {
    // Every finite half widened; each must round to itself, and the midpoint between two
    // neighbours must round to the one with an even mantissa.
    const all = new Uint16Array(0x7c00);
    for (let h = 0; h < all.length; h++) all[h] = h;
    const halves = halfToFloat(all);
    expect(Array.from(roundToHalf(halves))).toEqual(Array.from(halves));
    const mids = new Float32Array(halves.length - 1);
    for (let h = 0; h + 1 < halves.length; h++) mids[h] = (halves[h]! + halves[h + 1]!) / 2;
    const rounded = roundToHalf(mids);
    for (let h = 0; h + 1 < halves.length; h++) {
      const even = h % 2 === 0 ? halves[h]! : halves[h + 1]!;
      if (rounded[h] !== even) throw new Error(`midpoint after half 0x${h.toString(16)}`);
    }
  });

  it('overflows to ±Infinity past 65504 and keeps signs, zeros and NaN', () => {
    expect(Array.from(roundToHalf([65504, 65519, 65520, -1e6, -0.1, 0, Number.NaN]))).toEqual([
      65504,
      65504,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Math.fround(-0.0999755859375),
      0,
      Number.NaN,
    ]);
    // 1/3 in half is 0x3555 = 0.333251953125; 3e-7 is the subnormal 5 · 2^-24.
    expect(roundToHalf([1 / 3, 3e-7])).toEqual(new Float32Array([0.333251953125, 5 * 2 ** -24]));
  });
});
