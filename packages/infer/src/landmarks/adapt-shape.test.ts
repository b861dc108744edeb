import {
  applySimilarityToPoints as applySimilarity,
  fitSimilarity,
  type Landmarks68,
  type Point,
  similarityParts,
} from '@th/data';
import { describe, expect, it } from 'vitest';
import { createShapeAdapter, meanShape } from './adapt-shape';

/** 68 deterministic pseudo-random points in a 64² frame (a stand-in face shape). */
function shape(seed: number): Landmarks68 {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return Array.from({ length: 68 }, (): Point => [10 + 44 * next(), 10 + 44 * next()]);
}

const close = (a: Landmarks68, b: Landmarks68, digits = 9) => {
  a.forEach((p, i) => {
    expect(p[0]).toBeCloseTo(b[i]![0], digits);
    expect(p[1]).toBeCloseTo(b[i]![1], digits);
  });
};

describe('fitSimilarity', () => {
  it('recovers a known scale, rotation and translation exactly', () => {
    const from = shape(1);
    const truth = { a: 1.3 * Math.cos(0.4), b: 1.3 * Math.sin(0.4), tx: -5, ty: 7.5 };
    const fit = fitSimilarity(from, applySimilarity(truth, from));
    expect(similarityParts(fit).scale).toBeCloseTo(1.3, 10);
    expect(similarityParts(fit).rotation).toBeCloseTo(0.4, 10);
    expect(fit.tx).toBeCloseTo(-5, 9);
    expect(fit.ty).toBeCloseTo(7.5, 9);
  });

  it('is the least-squares solution: perturbing it increases the residual', () => {
    const from = shape(2);
    const to = shape(3);
    const fit = fitSimilarity(from, to);
    const residual = (t: typeof fit) =>
      applySimilarity(t, from).reduce(
        (s, p, i) => s + (p[0] - to[i]![0]) ** 2 + (p[1] - to[i]![1]) ** 2,
        0,
      );
    const best = residual(fit);
    for (const key of ['a', 'b', 'tx', 'ty'] as const) {
      expect(residual({ ...fit, [key]: fit[key] + 1e-3 })).toBeGreaterThan(best);
      expect(residual({ ...fit, [key]: fit[key] - 1e-3 })).toBeGreaterThan(best);
    }
  });

  it('rejects degenerate input with a clear message', () => {
    expect(() => fitSimilarity([[1, 1]], [[2, 2]])).toThrow(/at least 2 points/);
    expect(() =>
      fitSimilarity(
        [
          [1, 1],
          [1, 1],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toThrow(/coincide/);
  });
});

describe('face-shape adaptation', () => {
  const source = [shape(10), shape(11), shape(12)];
  const sourceMean = meanShape(source);
  // The driver is another face: the source mean seen through a similarity, plus a shape change.
  const toDriver = { a: 0.8 * Math.cos(-0.2), b: 0.8 * Math.sin(-0.2), tx: 12, ty: -3 };
  const driverRef = applySimilarity(toDriver, shape(20));

  it('mean shape is the point-wise mean', () => {
    expect(sourceMean[5]![0]).toBeCloseTo(
      (source[0]![5]![0] + source[1]![5]![0] + source[2]![5]![0]) / 3,
      12,
    );
  });

  it("the driver's reference shape maps to exactly the source mean shape", () => {
    close(createShapeAdapter(sourceMean, driverRef).adapt(driverRef), sourceMean);
  });

  it('a driver translation v arrives as sR·v on the source', () => {
    const adapter = createShapeAdapter(sourceMean, driverRef);
    const v: Point = [2, -1];
    const moved = adapter.adapt(driverRef.map(([x, y]) => [x + v[0], y + v[1]] as const));
    const { a, b } = adapter.alignment;
    close(
      moved,
      sourceMean.map(([x, y]) => [x + a * v[0] - b * v[1], y + b * v[0] + a * v[1]] as const),
    );
  });

  it('a driver that is the source seen through a similarity reproduces the source frames', () => {
    // D_t = T⁻¹(S_t) for every frame and D̄ = T⁻¹(S̄) ⇒ A_t = S̄ + (S_t − S̄) = S_t.
    const driverFrames = source.map((s) => applySimilarity(toDriver, s));
    const adapter = createShapeAdapter(sourceMean, applySimilarity(toDriver, sourceMean));
    driverFrames.forEach((d, i) => {
      close(adapter.adapt(d), source[i]!, 8);
    });
  });

  it('rejects a wrong landmark count', () => {
    const adapter = createShapeAdapter(sourceMean, driverRef);
    expect(() => adapter.adapt(driverRef.slice(0, 67))).toThrow(/67 landmarks, expected 68/);
    expect(() => createShapeAdapter(sourceMean, driverRef.slice(0, 60))).toThrow(/60/);
  });
});
