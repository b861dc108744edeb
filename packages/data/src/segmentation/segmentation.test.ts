import { describe, expect, it } from 'vitest';
import type { Point } from '../landmarks/landmarks';
import { SEG, SEGMENTATION_CLASSES, validateSegmentation } from './classes';
import { fillPolygon } from './fill-polygon';
import { landmarkOracleSegmentation } from './landmark-oracle';

/** A mean iBUG-like frontal face scaled into a 224² frame (hand-placed, symmetric). */
function frontalFace(): Point[] {
  const p: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const a = Math.PI * (i / 16); // jaw: lower half-ellipse from left ear to right ear
    p[i] = [112 - 60 * Math.cos(a), 95 + 75 * Math.sin(a)];
  }
  for (let k = 0; k < 5; k++) {
    p[17 + k] = [62 + k * 10, 70 - (k === 2 ? 4 : k % 2 ? 3 : 0)];
    p[22 + k] = [122 + k * 10, 70 - (k === 2 ? 4 : k % 2 ? 3 : 0)];
  }
  for (let k = 0; k < 4; k++) p[27 + k] = [112, 80 + k * 10];
  for (let k = 0; k < 5; k++) p[31 + k] = [100 + k * 6, k === 2 ? 120 : 117];
  const eye = (cx: number, at: number) => {
    const shape: Point[] = [
      [-12, 0],
      [-5, -4],
      [5, -4],
      [12, 0],
      [5, 4],
      [-5, 4],
    ];
    shape.forEach(([dx, dy], k) => {
      p[at + k] = [cx + dx, 85 + dy];
    });
  };
  eye(85, 36);
  eye(139, 42);
  const outer: Point[] = [
    [-25, 0],
    [-15, -8],
    [-5, -10],
    [0, -9],
    [5, -10],
    [15, -8],
    [25, 0],
    [15, 10],
    [5, 13],
    [0, 13],
    [-5, 13],
    [-15, 10],
  ];
  outer.forEach(([dx, dy], k) => {
    p[48 + k] = [112 + dx, 140 + dy];
  });
  const inner: Point[] = [
    [-18, 0],
    [-6, -3],
    [0, -3],
    [6, -3],
    [18, 0],
    [6, 4],
    [0, 4],
    [-6, 4],
  ];
  inner.forEach(([dx, dy], k) => {
    p[60 + k] = [112 + dx, 140 + dy];
  });
  return p;
}

describe('fillPolygon', () => {
  it('fills exactly the pixels whose centres are inside', () => {
    const labels = new Uint8Array(10 * 10);
    fillPolygon(
      labels,
      10,
      10,
      [
        [2, 3],
        [6, 3],
        [6, 8],
        [2, 8],
      ],
      7,
    );
    // x centres 2..5 (x = 6 is on the right edge, half-open), rows 3..7
    expect(labels.reduce((s, v) => s + (v === 7 ? 1 : 0), 0)).toBe(4 * 5);
    expect(labels[3 * 10 + 2]).toBe(7);
    expect(labels[3 * 10 + 6]).toBe(0);
  });

  it('approximates the area of a large triangle', () => {
    const labels = new Uint8Array(200 * 200);
    fillPolygon(
      labels,
      200,
      200,
      [
        [10.3, 10.7],
        [190.1, 30.2],
        [60.6, 180.4],
      ],
      1,
    );
    const area = Math.abs((190.1 - 10.3) * (180.4 - 10.7) - (60.6 - 10.3) * (30.2 - 10.7)) / 2;
    const count = labels.reduce((s, v) => s + v, 0);
    expect(Math.abs(count - area) / area).toBeLessThan(0.01);
  });
});

describe('landmarkOracleSegmentation', () => {
  const seg = landmarkOracleSegmentation(frontalFace(), 224, 224);
  const at = (x: number, y: number) => SEGMENTATION_CLASSES[seg[y * 224 + x]!];

  it('puts each facial part where its landmarks are', () => {
    expect(at(85, 85)).toBe('r_eye'); // subject's right eye is on the image left
    expect(at(139, 85)).toBe('l_eye');
    expect(at(82, 70)).toBe('r_brow');
    expect(at(142, 70)).toBe('l_brow');
    expect(at(112, 105)).toBe('nose');
    expect(at(112, 134)).toBe('u_lip');
    expect(at(112, 140)).toBe('mouth');
    expect(at(112, 150)).toBe('l_lip');
    expect(at(80, 115)).toBe('skin');
    expect(at(112, 55)).toBe('skin'); // forehead
    expect(at(112, 30)).toBe('hair');
    expect(at(112, 200)).toBe('neck');
    expect(at(10, 220)).toBe('cloth');
    expect(at(5, 5)).toBe('background');
  });

  it('emits only valid class ids', () => {
    expect(() => validateSegmentation(seg, 224, 224, 'oracle')).not.toThrow();
    expect(new Set(seg).has(SEG.l_ear)).toBe(false);
  });
});
