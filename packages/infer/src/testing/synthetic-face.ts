/**
 * Test helper: a plausible 68-point face (iBUG layout) drawn from simple curves, centred in a
 * size×size frame, with a mouth opening parameter so a sequence of them looks like speech.
 */
import type { Landmarks68, Point } from '@th/data';

export function syntheticFace(size: number, mouthOpen = 0, shiftX = 0): Landmarks68 {
  const c = size / 2 + shiftX;
  const s = size / 224; // designed at 224²
  const pts: Point[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = Math.PI * (i / 16); // jaw: lower half ellipse
    pts.push([c - 70 * s * Math.cos(t), 100 * s + 80 * s * Math.sin(t)]);
  }
  for (const side of [-1, 1])
    for (let i = 0; i < 5; i++)
      pts.push([
        c + side * (15 + 12 * (side < 0 ? 4 - i : i)) * s,
        (75 - 6 * Math.sin((Math.PI * i) / 4)) * s,
      ]);
  for (let i = 0; i < 4; i++) pts.push([c, (90 + 12 * i) * s]);
  for (let i = 0; i < 5; i++) pts.push([c + (i - 2) * 8 * s, 140 * s]);
  for (const side of [-1, 1]) {
    for (let i = 0; i < 6; i++) {
      const t = (2 * Math.PI * i) / 6;
      pts.push([c + side * 35 * s + 12 * s * Math.cos(t), 100 * s + 5 * s * Math.sin(t)]);
    }
  }
  for (let i = 0; i < 12; i++) {
    const t = (2 * Math.PI * i) / 12;
    pts.push([c + 25 * s * Math.cos(t), (160 + (6 + mouthOpen) * Math.sin(t)) * s]);
  }
  for (let i = 0; i < 8; i++) {
    const t = (2 * Math.PI * i) / 8;
    pts.push([c + 18 * s * Math.cos(t), (160 + mouthOpen * Math.sin(t)) * s]);
  }
  return pts;
}
