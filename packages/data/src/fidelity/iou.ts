/**
 * Agreement measures between two label maps of the same size, used to compare our preprocessing
 * with LSR's official output. IoU_c = |A_c ∩ B_c| / |A_c ∪ B_c| for each class c.
 */
import type { RgbImage } from '../image/rgb-image';
import { LANDMARK_COLOURS } from '../render/landmark-image';

export interface ClassOverlap {
  intersection: number;
  union: number;
}

/** Per-class intersection and union counts of two label maps (labels must be < classCount). */
export function classOverlaps(a: Uint8Array, b: Uint8Array, classCount: number): ClassOverlap[] {
  if (a.length !== b.length)
    throw new Error(`classOverlaps: sizes differ (${a.length} vs ${b.length})`);
  const out = Array.from({ length: classCount }, () => ({ intersection: 0, union: 0 }));
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x >= classCount || y >= classCount)
      throw new Error(`classOverlaps: label ${Math.max(x, y)} ≥ ${classCount}`);
    if (x === y) {
      out[x]!.intersection++;
      out[x]!.union++;
    } else {
      out[x]!.union++;
      out[y]!.union++;
    }
  }
  return out;
}

/** IoU of one class, or null when the class is absent from both maps. */
export function iou(o: ClassOverlap): number | null {
  return o.union === 0 ? null : o.intersection / o.union;
}

/**
 * Label each pixel of a landmark image with the nearest of {black, the six part colours} in RGB
 * distance: 0 = background, 1..6 = LANDMARK_COLOURS order (jaw, brows, nose, eyes, outer lip,
 * inner lip). Faint anti-aliased fringes fall to black, so "drawn" means mostly covered.
 */
export function labelLandmarkColours(image: RgbImage): Uint8Array {
  const palette: (readonly [number, number, number])[] = [[0, 0, 0], ...LANDMARK_COLOURS];
  const labels = new Uint8Array(image.width * image.height);
  for (let p = 0; p < labels.length; p++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let k = 0; k < palette.length; k++) {
      const c = palette[k]!;
      const dr = image.data[p * 3]! - c[0];
      const dg = image.data[p * 3 + 1]! - c[1];
      const db = image.data[p * 3 + 2]! - c[2];
      const d = dr * dr + dg * dg + db * db;
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    labels[p] = best;
  }
  return labels;
}
