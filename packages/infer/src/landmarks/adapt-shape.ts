/**
 * Face-shape adaptation for cross-identity reenactment (BEYOND THE PAPER). LSR drives the source
 * with the driver's raw landmarks (docs/design.md#cross-reenactment: no retargeting), so the output
 * inherits the driver's
 * face shape (jaw width, eye distance, nose length): a failure mode the paper itself lists. Here
 * the driver contributes only its motion:
 *
 *   T = argmin_T Σ |T(D̄_i) − S̄_i|²      (similarity from the driver's reference shape to the source's)
 *   A_t = S̄ + sR·(D_t − D̄)              (sR: the linear part of T)
 *
 * D_t: driver landmarks at frame t; D̄: the driver's reference (neutral) shape, by default its first
 * frame; S̄: the mean of the source shots' landmarks. At D_t = D̄ the output is exactly the source's
 * own shape; expression and head motion arrive as displacements, rescaled and rotated into the
 * source's frame. Since T is affine, A_t = T(D_t) − T(D̄) + S̄. Large head rotations are only
 * approximated (a 2-D displacement is not a 3-D pose change).
 */
import { fitSimilarity, type Landmarks68, type Point, type Similarity2D } from '@th/data';

/** Point-wise mean of several landmark sets (the source's mean shape). */
export function meanShape(shapes: readonly Landmarks68[]): Landmarks68 {
  const first = shapes[0];
  if (!first) throw new Error('meanShape: no landmark sets');
  return first.map((_, i) => {
    let x = 0;
    let y = 0;
    for (const s of shapes) {
      x += s[i]![0];
      y += s[i]![1];
    }
    return [x / shapes.length, y / shapes.length] as const;
  });
}

export interface ShapeAdapter {
  /** The similarity from the driver's reference shape to the source mean shape. */
  readonly alignment: Similarity2D;
  adapt(driver: Landmarks68): Landmarks68;
}

/** Build the adapter from the source's mean shape S̄ and the driver's reference shape D̄. */
export function createShapeAdapter(
  sourceMean: Landmarks68,
  driverReference: Landmarks68,
): ShapeAdapter {
  if (sourceMean.length !== driverReference.length) {
    throw new Error(
      `createShapeAdapter: source shape has ${sourceMean.length} points, driver reference ${driverReference.length}`,
    );
  }
  const alignment = fitSimilarity(driverReference, sourceMean);
  const { a, b } = alignment;
  return {
    alignment,
    adapt(driver: Landmarks68): Landmarks68 {
      if (driver.length !== driverReference.length)
        throw new Error(
          `adapt: driver has ${driver.length} landmarks, expected ${driverReference.length}`,
        );
      return driver.map(([x, y], i): Point => {
        const dx = x - driverReference[i]![0];
        const dy = y - driverReference[i]![1];
        return [sourceMean[i]![0] + a * dx - b * dy, sourceMean[i]![1] + b * dx + a * dy];
      });
    },
  };
}
