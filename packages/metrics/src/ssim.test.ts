import { describe, expect, it } from 'vitest';
import { gaussianKernel } from './filters';
import type { HwcImage } from './image';
import { ssim } from './ssim';

/** Deterministic pseudo-random uint8 image (LCG) for comparisons with the brute-force SSIM. */
function randomImage(height: number, width: number, channels: number, seed: number): HwcImage {
  const data = new Uint8Array(height * width * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, height, width, channels };
}

/**
 * Independent reference: for every window position, weighted moments by direct summation over
 * the 2-D window (no separability), then the SSIM formula, mean over positions and channels.
 */
function bruteForceSsim(a: HwcImage, b: HwcImage, weights2d: number[][], covNorm: number): number {
  const k = weights2d.length;
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  for (let c = 0; c < a.channels; c++) {
    let sum = 0;
    let count = 0;
    for (let y = 0; y + k <= a.height; y++) {
      for (let x = 0; x + k <= a.width; x++) {
        let mx = 0,
          my = 0,
          mxx = 0,
          myy = 0,
          mxy = 0;
        for (let i = 0; i < k; i++) {
          for (let j = 0; j < k; j++) {
            const w = weights2d[i]![j]!;
            const p = ((y + i) * a.width + x + j) * a.channels + c;
            const u = a.data[p]!;
            const v = b.data[p]!;
            mx += w * u;
            my += w * v;
            mxx += w * u * u;
            myy += w * v * v;
            mxy += w * u * v;
          }
        }
        const vx = covNorm * (mxx - mx * mx);
        const vy = covNorm * (myy - my * my);
        const vxy = covNorm * (mxy - mx * my);
        sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
        count++;
      }
    }
    total += sum / count;
  }
  return total / a.channels;
}

describe('ssim', () => {
  it('is exactly 1 for identical images (both windows)', () => {
    const a = randomImage(16, 13, 3, 7);
    expect(ssim(a, a)).toBeCloseTo(1, 14);
    expect(ssim(a, a, { window: 'wang2004' })).toBeCloseTo(1, 14);
  });

  it('reduces to (2ab + C1)/(a² + b² + C1) for two constant images', () => {
    const a: HwcImage = { data: new Uint8Array(9 * 9).fill(100), height: 9, width: 9, channels: 1 };
    const b: HwcImage = { data: new Uint8Array(9 * 9).fill(140), height: 9, width: 9, channels: 1 };
    const c1 = (0.01 * 255) ** 2;
    expect(ssim(a, b)).toBeCloseTo((2 * 100 * 140 + c1) / (100 ** 2 + 140 ** 2 + c1), 12);
  });

  it('matches a brute-force 7x7 uniform window with sample covariance', () => {
    const a = randomImage(19, 23, 3, 1);
    const b = randomImage(19, 23, 3, 2);
    const uniform = Array.from({ length: 7 }, () => new Array<number>(7).fill(1 / 49));
    expect(ssim(a, b)).toBeCloseTo(bruteForceSsim(a, b, uniform, 49 / 48), 12);
  });

  it('matches a brute-force 11x11 Gaussian window with population covariance', () => {
    const a = randomImage(21, 17, 2, 3);
    const b = randomImage(21, 17, 2, 4);
    // Independent 2-D Gaussian weights (σ 1.5, 11 taps) normalised over the whole square.
    const raw = Array.from({ length: 11 }, (_, i) =>
      Array.from({ length: 11 }, (_, j) => Math.exp(-((i - 5) ** 2 + (j - 5) ** 2) / (2 * 2.25))),
    );
    const total = raw.flat().reduce((s, v) => s + v, 0);
    const weights = raw.map((row) => row.map((v) => v / total));
    expect(gaussianKernel(1.5, 3.5).length).toBe(11);
    expect(ssim(a, b, { window: 'wang2004' })).toBeCloseTo(bruteForceSsim(a, b, weights, 1), 12);
  });

  it('rejects images smaller than the window and unknown windows', () => {
    const small = randomImage(6, 20, 1, 5);
    expect(() => ssim(small, small)).toThrow(/smaller than the 7x7 window/);
    const a = randomImage(8, 8, 1, 5);
    expect(() => ssim(a, a, { window: 'box' as never })).toThrow(/unknown window "box"/);
  });
});
