/**
 * The landmark image the networks see at resolution R, drawn the same way for training data
 * (`prepare`), evaluation and inference: landmarks given in R×R pixels are mapped onto LSR's native
 * 224² canvas, drawn there with `renderLandmarkImage` (so line widths and anti-aliasing follow the
 * paper's 224² recipe at every preset), then brought to R with `resizeImage`.
 */
import { resizeImage } from '../image/resize-image';
import type { RgbImage } from '../image/rgb-image';
import type { Landmarks68, Point } from '../landmarks/landmarks';
import { renderLandmarkImage } from './landmark-image';

/** Native canvas of LSR's landmark images (docs/design.md#landmark-image). */
export const LANDMARK_CANVAS = 224;

/** Map points from an R×R frame to the 224² canvas (pixel-centre aligned). */
export function toLandmarkCanvas(landmarks: Landmarks68, size: number): Landmarks68 {
  const f = LANDMARK_CANVAS / size;
  return landmarks.map(([x, y]): Point => [(x + 0.5) * f - 0.5, (y + 0.5) * f - 0.5]);
}

export function landmarkImageAt(landmarks: Landmarks68, size: number): RgbImage {
  const drawn = renderLandmarkImage(toLandmarkCanvas(landmarks, size), {
    width: LANDMARK_CANVAS,
    height: LANDMARK_CANVAS,
  });
  return resizeImage(drawn, size, size);
}
