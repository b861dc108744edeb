/**
 * The landmark image the networks see at resolution R. @th/train renders the contour image at the
 * frame's native size (224 for VoxCeleb) and area-resizes it to R, so line widths and anti-aliasing
 * match the paper's 224² recipe at every preset. Inference does the same: landmarks given in model
 * pixels are mapped onto a 224² canvas, drawn with @th/data's renderer, then area-resized to R.
 */
import { type Landmarks68, type RgbImage, renderLandmarkImage, resizeArea } from '@th/data';

/** Native canvas of LSR's landmark images (docs/design.md#landmark-image). */
export const LANDMARK_CANVAS = 224;

export function landmarkImageAt(landmarks: Landmarks68, size: number): RgbImage {
  const f = LANDMARK_CANVAS / size;
  const onCanvas = landmarks.map(([x, y]) => [(x + 0.5) * f - 0.5, (y + 0.5) * f - 0.5] as const);
  const drawn = renderLandmarkImage(onCanvas, { width: LANDMARK_CANVAS, height: LANDMARK_CANVAS });
  return resizeArea(drawn, size, size);
}
