import { describe, expect, it } from 'vitest';
import { floatToHalfBits, halfToFloat, roundToHalf } from './half-float';

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

describe('floatToHalfBits', () => {
  it('gives the bits of roundToHalf for every half, every midpoint and random floats', () => {
    // Every finite half (both signs) must map to its own bits; midpoints round to even like
    // roundToHalf (an independent, arithmetic implementation); random values of all magnitudes
    // (subnormal halves to overflow) agree with roundToHalf after widening.
    const all = new Uint16Array(0x7c00 * 2);
    for (let h = 0; h < 0x7c00; h++) {
      all[h] = h;
      all[0x7c00 + h] = h | 0x8000;
    }
    expect(Array.from(floatToHalfBits(halfToFloat(all)))).toEqual(Array.from(all));
    const halves = halfToFloat(all.subarray(0, 0x7c00));
    const mids = new Float32Array(halves.length - 1);
    for (let h = 0; h + 1 < halves.length; h++) mids[h] = (halves[h]! + halves[h + 1]!) / 2;
    expect(Array.from(halfToFloat(floatToHalfBits(mids)))).toEqual(Array.from(roundToHalf(mids)));
    let seed = 7;
    const random = new Float32Array(20000).map(() => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const magnitude = 2 ** ((seed % 64) - 40); // 2^-40 .. 2^23
      return (seed / 2 ** 31 - 0.5) * magnitude;
    });
    expect(Array.from(halfToFloat(floatToHalfBits(random)))).toEqual(
      Array.from(roundToHalf(random)),
    );
  });

  it('maps overflow to Infinity and keeps zeros, infinities and NaN', () => {
    const x = new Float32Array([65520, -1e6, 0, -0, Infinity, -Infinity, Number.NaN, 1e-10]);
    const bits = Array.from(floatToHalfBits(x));
    expect(bits.slice(0, 6)).toEqual([0x7c00, 0xfc00, 0, 0x8000, 0x7c00, 0xfc00]);
    expect(Number.isNaN(halfToFloat(new Uint16Array([bits[6]!]))[0])).toBe(true);
    expect(bits[7]).toBe(0); // below half the smallest subnormal (2^-25)
  });
});
