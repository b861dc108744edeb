import type { HwcImage } from './image';

/** A 2-D landmark in pixels, [x, y]. */
export type Point2 = readonly [number, number];

/** Index of the outer corner of the subject's right eye (image left) in the 0-based iBUG-68 layout. */
export const OUTER_EYE_CORNER_RIGHT = 36;
/** Index of the outer corner of the subject's left eye (image right) in the 0-based iBUG-68 layout. */
export const OUTER_EYE_CORNER_LEFT = 45;

/** Options for {@link nmke}. */
export type NmkeOptions =
  | { readonly normalizer: 'interocular' }
  | { readonly normalizer: 'image'; readonly imageSize: number };

/**
 * Landmark detector the evaluation harness plugs in (FAN-2D in LSR's preprocessing; in TF.js e.g.
 * face-api's 68-point model). Returns 68 iBUG-layout points in pixels, or null if no face is found.
 */
export interface LandmarkDetector {
  readonly name: string;
  detect(image: HwcImage): Promise<Point2[] | null>;
}

/**
 * Normalised mean keypoint error between predicted and ground-truth 68-point landmarks:
 *
 *   NMKE = (1/68) Σ_i ‖p_i − g_i‖₂ / s,
 *
 * with s the GT inter-ocular distance ‖g_36 − g_45‖ (outer eye corners, the usual "NME"
 * convention) or the image size. LSR's supplement reports NMKE without defining s;
 * docs/design.md#nmke-normaliser
 * recommends inter-ocular as default and logging the ÷imageSize (224) variant too. The detector
 * is an input, so the number depends on which detector produced the points: name it in reports.
 */
export function nmke(pred: readonly Point2[], gt: readonly Point2[], options: NmkeOptions): number {
  if (pred.length !== 68 || gt.length !== 68) {
    throw new Error(
      `nmke: expected 68 landmarks each, got ${pred.length} predicted and ${gt.length} ground-truth`,
    );
  }
  let sum = 0;
  for (let i = 0; i < 68; i++) {
    const p = pred[i]!;
    const g = gt[i]!;
    if (![p[0], p[1], g[0], g[1]].every(Number.isFinite)) {
      throw new Error(`nmke: landmark ${i} is not finite`);
    }
    sum += Math.hypot(p[0] - g[0], p[1] - g[1]);
  }
  return sum / 68 / normalizerLength(gt, options);
}

function normalizerLength(gt: readonly Point2[], options: NmkeOptions): number {
  if (options.normalizer === 'image') {
    if (!(options.imageSize > 0) || !Number.isFinite(options.imageSize)) {
      throw new Error(`nmke: imageSize must be a positive number, got ${options.imageSize}`);
    }
    return options.imageSize;
  }
  if (options.normalizer === 'interocular') {
    const a = gt[OUTER_EYE_CORNER_RIGHT]!;
    const b = gt[OUTER_EYE_CORNER_LEFT]!;
    const distance = Math.hypot(a[0] - b[0], a[1] - b[1]);
    if (!(distance > 0)) {
      throw new Error('nmke: ground-truth outer eye corners (points 36 and 45) coincide');
    }
    return distance;
  }
  throw new Error(
    `nmke: unknown normalizer "${String((options as { normalizer: unknown }).normalizer)}"`,
  );
}
