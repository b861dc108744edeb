import { describe, expect, it } from 'vitest';
import type { HwcImage } from './image';
import { meanSquaredError, psnr } from './psnr';

function image(data: number[], height: number, width: number, channels: number): HwcImage {
  return { data: Uint8Array.from(data), height, width, channels };
}

describe('psnr', () => {
  it('matches 10·log10(255²/MSE) for a constant offset', () => {
    const a = image([10, 20, 30, 40, 50, 60], 1, 2, 3);
    const b = image([15, 25, 35, 45, 55, 65], 1, 2, 3);
    expect(meanSquaredError(a, b)).toBe(25);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / 25), 12);
  });

  it('pools the squared error over all channels (not a per-channel PSNR average)', () => {
    // Errors only in channel 0: per-channel averaging would give +Infinity for the others.
    const a = image([0, 0, 0, 0, 0, 0], 1, 2, 3);
    const b = image([6, 0, 0, 0, 0, 0], 1, 2, 3);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10((255 * 255) / (36 / 6)), 12);
  });

  it('is +Infinity for identical images and symmetric in its arguments', () => {
    const a = image([1, 2, 3, 4], 2, 2, 1);
    const b = image([4, 3, 2, 1], 2, 2, 1);
    expect(psnr(a, a)).toBe(Number.POSITIVE_INFINITY);
    expect(psnr(a, b)).toBe(psnr(b, a));
  });

  it('honours dataRange for float images', () => {
    const a: HwcImage = { data: Float32Array.from([0, 0.5]), height: 1, width: 2, channels: 1 };
    const b: HwcImage = { data: Float32Array.from([0.1, 0.5]), height: 1, width: 2, channels: 1 };
    const mse = (0.1 * 0.1) / 2;
    expect(psnr(a, b, { dataRange: 1 })).toBeCloseTo(10 * Math.log10(1 / mse), 5);
  });

  it('rejects mismatched shapes, bad data lengths and bad ranges with named errors', () => {
    const a = image([1, 2, 3, 4], 2, 2, 1);
    expect(() => psnr(a, image([1, 2, 3, 4], 1, 4, 1))).toThrow(/differ in shape/);
    expect(() => psnr(a, { ...a, data: Uint8Array.from([1, 2]) })).toThrow(/has 2 values/);
    expect(() => psnr(a, a, { dataRange: 0 })).toThrow(/dataRange/);
  });
});
