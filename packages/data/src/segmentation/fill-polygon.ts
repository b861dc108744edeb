/**
 * Scanline polygon fill into a label map: a pixel takes `value` when its centre (x = column,
 * y = row, pixel-centre coordinates) is inside the polygon by the even–odd rule. Aliased on
 * purpose: label maps hold class ids, not coverage.
 */
import type { Point } from '../landmarks/landmarks';

export function fillPolygon(
  labels: Uint8Array,
  width: number,
  height: number,
  polygon: readonly Point[],
  value: number,
): void {
  const n = polygon.length;
  if (n < 3) return;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [, y] of polygon) {
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const rowFrom = Math.max(0, Math.ceil(minY));
  const rowTo = Math.min(height - 1, Math.floor(maxY));
  const crossings: number[] = [];
  for (let row = rowFrom; row <= rowTo; row++) {
    crossings.length = 0;
    for (let i = 0; i < n; i++) {
      const [ax, ay] = polygon[i]!;
      const [bx, by] = polygon[(i + 1) % n]!;
      // Half-open rule (ay ≤ row < by or the reverse) counts a vertex on the scanline once.
      if ((ay <= row && row < by) || (by <= row && row < ay)) {
        crossings.push(ax + ((row - ay) / (by - ay)) * (bx - ax));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k]!));
      const to = Math.min(width - 1, Math.ceil(crossings[k + 1]!) - 1);
      for (let x = from; x <= to; x++) labels[row * width + x] = value;
    }
  }
}
