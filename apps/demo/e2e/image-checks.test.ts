import { mulberry32 } from '@th/data';
import { describe, expect, it } from 'vitest';
import { distinctColours, meanAbsDiff, neighbourCorrelation, std } from './image-checks';

/** size² RGBA image whose grey level is f(x, y). */
function image(size: number, f: (x: number, y: number) => number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = (y * size + x) * 4;
      out.fill(f(x, y), p, p + 3);
      out[p + 3] = 255;
    }
  }
  return out;
}

describe('image checks', () => {
  it('std: 0 for a blank image, 127.5 for a half-black half-white one', () => {
    expect(std(image(8, () => 40))).toBe(0);
    expect(std(image(8, (x) => (x < 4 ? 0 : 255)))).toBeCloseTo(127.5, 10);
  });

  it('neighbourCorrelation: ≈1 for a smooth ramp, ≈0 for seeded noise, −1 for a checkerboard', () => {
    expect(
      neighbourCorrelation(
        image(32, (x, y) => 4 * x + 2 * y),
        32,
      ),
    ).toBeGreaterThan(0.99);
    const random = mulberry32(12345);
    const noise = image(64, () => Math.floor(random() * 256));
    expect(Math.abs(neighbourCorrelation(noise, 64))).toBeLessThan(0.05);
    expect(
      neighbourCorrelation(
        image(8, (x, y) => ((x + y) % 2) * 255),
        8,
      ),
    ).toBeCloseTo(-1, 10);
  });

  it('distinctColours and meanAbsDiff count what they say', () => {
    expect(distinctColours(image(8, (x) => x % 3))).toBe(3);
    expect(
      meanAbsDiff(
        image(4, () => 10),
        image(4, () => 13),
      ),
    ).toBe(3);
    expect(() => meanAbsDiff(new Uint8Array(4), new Uint8Array(8))).toThrow(/lengths differ/);
  });
});
