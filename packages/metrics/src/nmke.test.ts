import { describe, expect, it } from 'vitest';
import { nmke, type Point2 } from './nmke';

/** 68 points on a 17x4 grid with the outer eye corners (36, 45) exactly 60 px apart. */
function gridLandmarks(): Point2[] {
  const pts: Point2[] = Array.from({ length: 68 }, (_, i) => [
    20 + (i % 17) * 10,
    40 + Math.floor(i / 17) * 30,
  ]);
  pts[36] = [70, 100];
  pts[45] = [130, 100];
  return pts;
}

describe('nmke', () => {
  it('is 0 for identical landmarks', () => {
    const gt = gridLandmarks();
    expect(nmke(gt, gt, { normalizer: 'interocular' })).toBe(0);
    expect(nmke(gt, gt, { normalizer: 'image', imageSize: 224 })).toBe(0);
  });

  it('gives the exact value for a known displacement (3-4-5 shift of every point)', () => {
    const gt = gridLandmarks();
    const pred = gt.map(([x, y]) => [x + 3, y - 4] as const);
    // Every point moves 5 px; inter-ocular distance of the GT is 60 px.
    expect(nmke(pred, gt, { normalizer: 'interocular' })).toBeCloseTo(5 / 60, 15);
    expect(nmke(pred, gt, { normalizer: 'image', imageSize: 224 })).toBeCloseTo(5 / 224, 15);
  });

  it('averages per-point distances (one point off by 68 px → mean 1 px)', () => {
    const gt = gridLandmarks();
    const pred = gt.map((p) => [p[0], p[1]] as const);
    pred[10] = [gt[10]![0] + 68, gt[10]![1]];
    expect(nmke(pred, gt, { normalizer: 'image', imageSize: 1 })).toBeCloseTo(1, 15);
  });

  it('normalises by the ground truth, not the prediction (asymmetric)', () => {
    const gt = gridLandmarks();
    const pred = gt.map(([x, y]) => [2 * x, 2 * y] as const); // prediction's eyes are 120 apart
    const meanDist = gt.reduce((s, [x, y]) => s + Math.hypot(x, y), 0) / 68;
    expect(nmke(pred, gt, { normalizer: 'interocular' })).toBeCloseTo(meanDist / 60, 12);
  });

  it('rejects wrong counts, coincident eye corners and bad image sizes', () => {
    const gt = gridLandmarks();
    expect(() => nmke(gt.slice(0, 5), gt, { normalizer: 'interocular' })).toThrow(
      /expected 68 landmarks/,
    );
    const collapsed = gt.map((p) => p);
    collapsed[45] = collapsed[36]!;
    expect(() => nmke(gt, collapsed, { normalizer: 'interocular' })).toThrow(/36 and 45/);
    expect(() => nmke(gt, gt, { normalizer: 'image', imageSize: 0 })).toThrow(/imageSize/);
  });
});
