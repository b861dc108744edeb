import { describe, expect, it } from 'vitest';
import { fidFromFeatures } from './fid-score';

/** n samples of dimension d from a fixed integer hash, centred-ish around 0. */
function samples(n: number, d: number, seed: number): Float64Array[] {
  return Array.from({ length: n }, (_, k) =>
    Float64Array.from(
      { length: d },
      (_, j) => ((k * 7919 + j * 104729 + seed * 31) % 997) / 997 - 0.5,
    ),
  );
}

describe('fidFromFeatures', () => {
  it('is 0 for identical sets and ‖c‖² for a set shifted by c (covariances equal)', () => {
    const real = samples(40, 6, 1);
    expect(Math.abs(fidFromFeatures(real, real))).toBeLessThan(1e-10);
    const c = [0.3, -0.2, 0, 1, 0.5, -0.1];
    const shifted = real.map((x) => x.map((v, j) => v + c[j]!));
    const want = c.reduce((s, v) => s + v * v, 0);
    expect(fidFromFeatures(real, shifted)).toBeCloseTo(want, 10);
  });

  it('scaled covariance: Tr(Σ + s²Σ − 2sΣ) = (1 − s)² Tr Σ', () => {
    const real = samples(50, 5, 2);
    const s = 1.7;
    const scaled = real.map((x) => x.map((v) => v * s));
    let trace = 0;
    const mean = new Float64Array(5);
    for (const x of real) for (let j = 0; j < 5; j++) mean[j]! += x[j]! / real.length;
    for (const x of real)
      for (let j = 0; j < 5; j++) trace += (x[j]! - mean[j]!) ** 2 / (real.length - 1);
    const meanShift = mean.reduce((acc, m) => acc + (m * s - m) ** 2, 0);
    expect(fidFromFeatures(real, scaled)).toBeCloseTo((1 - s) ** 2 * trace + meanShift, 10);
  });

  it('refuses sets too small for a covariance or of different dimension', () => {
    expect(() => fidFromFeatures(samples(1, 3, 0), samples(5, 3, 1))).toThrow(
      /at least 2 real images, got 1/,
    );
    expect(() => fidFromFeatures(samples(3, 3, 0), samples(3, 4, 1))).toThrow(
      /3 dimensions, generated 4/,
    );
  });
});
