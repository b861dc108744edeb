import { describe, expect, it } from 'vitest';
import { type LineCap, strokePolylineCoverage } from './stroke-coverage';

const W = 80;
const H = 60;

function cover(xs: number[], ys: number[], width: number, cap: LineCap, samples = 16) {
  const out = new Float32Array(W * H);
  strokePolylineCoverage(xs, ys, { width, cap, samples }, out, W, H);
  return out;
}
const total = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
const w = (2 * 100) / 72; // 2 pt at dpi 100
const h = w / 2;

describe('strokePolylineCoverage', () => {
  it('covers the closed-form stroke area for each cap style', () => {
    const L = 40;
    // Sampling error is at most one sample row/column along the outline: ~perimeter/S px.
    const tol = (2 * (L + w) + 2 * w) / 16;
    expect(Math.abs(total(cover([10, 10 + L], [20, 20], w, 'butt')) - L * w)).toBeLessThan(tol);
    expect(
      Math.abs(total(cover([10, 10 + L], [20, 20], w, 'projecting')) - (L + w) * w),
    ).toBeLessThan(tol);
    const round = L * w + Math.PI * h * h;
    expect(Math.abs(total(cover([10, 10 + L], [20, 20], w, 'round')) - round)).toBeLessThan(tol);
    // rotation invariance: a 3-4-5 diagonal of the same length
    const diag = total(cover([10, 10 + 24], [10, 10 + 32], w, 'butt'));
    expect(Math.abs(diag - L * w)).toBeLessThan(tol);
  });

  it('gives partial coverage at the edge: pixel centred 1 px off a horizontal line', () => {
    const c = cover([10, 50], [20, 20], w, 'butt');
    expect(c[20 * W + 30]).toBe(1);
    // row 21 spans y ∈ [20.5, 21.5] relative to the line at 20: covered up to 20 + h
    const exact = h - 0.5;
    expect(Math.abs(c[21 * W + 30]! - exact)).toBeLessThanOrEqual(1 / 16);
    expect(c[22 * W + 30]).toBe(0); // 2 px away > h ≈ 1.39
  });

  it('counts a fold-back once (union, not sum) and adds a round join at the vertex', () => {
    const single = cover([10, 50], [20, 20], w, 'butt');
    const folded = cover([10, 50, 10], [20, 20, 20], w, 'butt');
    expect(Math.max(...folded)).toBe(1);
    const joinHalfDisc = (Math.PI * h * h) / 2;
    expect(Math.abs(total(folded) - total(single) - joinHalfDisc)).toBeLessThan(0.5);
  });

  it('clips to the image and rejects bad styles', () => {
    const c = cover([-100, -90], [-100, -90], w, 'round');
    expect(total(c)).toBe(0);
    const out = new Float32Array(4);
    expect(() =>
      strokePolylineCoverage([0, 1], [0], { width: 1, cap: 'butt', samples: 4 }, out, 2, 2),
    ).toThrow(/lengths differ/);
    expect(() =>
      strokePolylineCoverage([0, 1], [0, 1], { width: 0, cap: 'butt', samples: 4 }, out, 2, 2),
    ).toThrow(/line width/);
  });
});
