import { describe, expect, it } from 'vitest';
import type { Point } from './landmarks';
import {
  applySimilarityToPoint,
  applySimilarityToPoints,
  centroid,
  fitSimilarity,
  invertSimilarity,
  type Similarity2D,
  similarityParts,
} from './similarity';

// A known transform: scale 1.3, rotation 0.4 rad, translation (5, −7).
const known: Similarity2D = {
  a: 1.3 * Math.cos(0.4),
  b: 1.3 * Math.sin(0.4),
  tx: 5,
  ty: -7,
};
const src: Point[] = [
  [10, 20],
  [40, 22],
  [25, 35],
  [14, 50],
  [38, 49],
];

describe('fitSimilarity (Umeyama, 2-D closed form)', () => {
  it('recovers a known similarity from exact correspondences', () => {
    const fit = fitSimilarity(src, applySimilarityToPoints(known, src));
    expect(fit.a).toBeCloseTo(known.a, 12);
    expect(fit.b).toBeCloseTo(known.b, 12);
    expect(fit.tx).toBeCloseTo(known.tx, 10);
    expect(fit.ty).toBeCloseTo(known.ty, 10);
    expect(similarityParts(fit).scale).toBeCloseTo(1.3, 12);
    expect(similarityParts(fit).rotation).toBeCloseTo(0.4, 12);
  });

  it('is the least-squares solution: the residual is orthogonal to every parameter direction', () => {
    // Perturb the targets so no similarity fits exactly; at the optimum the gradient of
    // Σ‖r‖² w.r.t. (a, b, tx, ty) vanishes: Σ r·∂(Mp)/∂θ = 0.
    const dst = src.map((p, i) => {
      const [x, y] = applySimilarityToPoint(known, p);
      return [x + Math.sin(3 * i), y + Math.cos(5 * i)] as Point;
    });
    const m = fitSimilarity(src, dst);
    const g = [0, 0, 0, 0];
    src.forEach((p, i) => {
      const [mx, my] = applySimilarityToPoint(m, p);
      const rx = mx - dst[i]![0];
      const ry = my - dst[i]![1];
      g[0]! += rx * p[0] + ry * p[1]; // ∂/∂a = (x, y)
      g[1]! += -rx * p[1] + ry * p[0]; // ∂/∂b = (−y, x)
      g[2]! += rx;
      g[3]! += ry;
    });
    for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-9);
  });

  it('inverts exactly', () => {
    const back = invertSimilarity(known);
    for (const p of src) {
      const [x, y] = applySimilarityToPoint(back, applySimilarityToPoint(known, p));
      expect(x).toBeCloseTo(p[0], 12);
      expect(y).toBeCloseTo(p[1], 12);
    }
    expect(() => invertSimilarity({ a: 0, b: 0, tx: 1, ty: 2 })).toThrow(/zero scale/);
  });

  it('rejects bad input with a clear message', () => {
    expect(() => fitSimilarity(src, src.slice(1))).toThrow(/5 source points but 4/);
    expect(() => fitSimilarity([[1, 1]], [[2, 2]])).toThrow(/at least 2/);
    expect(() =>
      fitSimilarity(
        [
          [1, 1],
          [1, 1],
        ],
        src.slice(0, 2),
      ),
    ).toThrow(/coincide/);
    expect(() => fitSimilarity([[Number.NaN, 0], ...src.slice(1)], src)).toThrow(/not finite/);
  });
});

describe('centroid and point lists', () => {
  it('centroid is the coordinate mean; a similarity maps the centroid to the centroid', () => {
    expect(centroid(src)).toEqual([127 / 5, 176 / 5]);
    const [cx, cy] = centroid(applySimilarityToPoints(known, src));
    const [ex, ey] = applySimilarityToPoint(known, centroid(src));
    expect(cx).toBeCloseTo(ex, 12);
    expect(cy).toBeCloseTo(ey, 12);
    expect(() => centroid([])).toThrow(/no points/);
  });

  it('applySimilarityToPoints agrees with the point-wise map', () => {
    const mapped = applySimilarityToPoints(known, src);
    expect(mapped).toHaveLength(src.length);
    src.forEach((p, i) => {
      expect(mapped[i]).toEqual(applySimilarityToPoint(known, p));
    });
    // (1, 0) goes to (a + tx, b + ty): checks the matrix layout, not just self-consistency.
    expect(applySimilarityToPoint(known, [1, 0])).toEqual([known.a + 5, known.b - 7]);
  });
});
