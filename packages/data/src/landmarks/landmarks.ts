/**
 * 68-point facial landmarks in the iBUG-300W layout (the layout of FAN, which LSR used), in pixel
 * coordinates with pixel centres at integers: point (x, y) = (column, row).
 */
import type { RgbImage } from '../image/rgb-image';

export type Point = readonly [number, number];
export type Landmarks68 = readonly Point[];

export const LANDMARK_COUNT = 68;

/** Anything that turns an RGB image into 68 landmarks of its first/best face, or null (no face). */
export interface LandmarkDetector {
  detect(image: RgbImage): Promise<Landmarks68 | null>;
  /**
   * Optional: landmarks of consecutive frames of one utterance, in order. A detector can use that
   * the frames show the same face (e.g. find it once and track it); without this method callers
   * run `detect` on each frame.
   */
  detectSequence?(frames: readonly RgbImage[]): Promise<(Landmarks68 | null)[]>;
  /** frees models/tensors held by the detector */
  dispose(): void;
}

/**
 * Check that `value` is 68 [x, y] pairs of finite numbers and return it typed. `source` (a file
 * path, "detector output", …) is put at the start of every error.
 */
export function validateLandmarks(value: unknown, source: string): Landmarks68 {
  if (!Array.isArray(value))
    throw new Error(`${source}: landmarks must be an array of [x, y] pairs`);
  if (value.length !== LANDMARK_COUNT) {
    throw new Error(`${source}: expected ${LANDMARK_COUNT} landmarks, got ${value.length}`);
  }
  return value.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) {
      throw new Error(`${source}: landmark ${i} is not an [x, y] pair`);
    }
    const [x, y] = p as unknown[];
    if (
      typeof x !== 'number' ||
      typeof y !== 'number' ||
      !Number.isFinite(x) ||
      !Number.isFinite(y)
    ) {
      throw new Error(
        `${source}: landmark ${i} has a non-finite coordinate (${String(x)}, ${String(y)})`,
      );
    }
    return [x, y] as const;
  });
}
