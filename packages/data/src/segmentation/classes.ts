/**
 * The 19 CelebAMask-HQ face-parsing classes, in the id order LSR's oracle segmentation uses
 * (docs/design.md#oracle-segmentation). "l_"/"r_" are the subject's left/right: on a frontal face
 * l_eye is on the
 * image's right (iBUG landmarks 42–47), as measured on the official segmaps.
 */
export const SEGMENTATION_CLASSES = [
  'background',
  'skin',
  'nose',
  'eye_g',
  'l_eye',
  'r_eye',
  'l_brow',
  'r_brow',
  'l_ear',
  'r_ear',
  'mouth',
  'u_lip',
  'l_lip',
  'hair',
  'hat',
  'ear_r',
  'neck_l',
  'neck',
  'cloth',
] as const;

export type SegmentationClassName = (typeof SEGMENTATION_CLASSES)[number];

/** Class name → id. */
export const SEG = Object.fromEntries(SEGMENTATION_CLASSES.map((n, i) => [n, i])) as Record<
  SegmentationClassName,
  number
>;

export const SEGMENTATION_CLASS_COUNT = SEGMENTATION_CLASSES.length;

/**
 * Check a class-id map: right length for width×height and every id in 0..18. `source` names the
 * map (file path) in errors. Returns the map for chaining.
 */
export function validateSegmentation(
  labels: Uint8Array,
  width: number,
  height: number,
  source: string,
): Uint8Array {
  if (labels.length !== width * height) {
    throw new Error(
      `${source}: segmentation has ${labels.length} pixels, expected ${width}x${height}`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= SEGMENTATION_CLASS_COUNT) {
      const x = i % width;
      const y = Math.floor(i / width);
      throw new Error(
        `${source}: class id ${labels[i]} at (${x}, ${y}) is outside 0..${SEGMENTATION_CLASS_COUNT - 1}`,
      );
    }
  }
  return labels;
}
