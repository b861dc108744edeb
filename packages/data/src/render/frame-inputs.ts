/**
 * Everything the networks read about one frame, at resolution R, made one way for training data
 * (`prepare` stores exactly this), evaluation and inference: the centre square of the frame
 * resized with `resizeImage`, its landmarks mapped into R×R pixels, the landmark image drawn by
 * `landmarkImageAt`, and the oracle segmentation painted on the same 224² canvas as the landmark
 * image then brought to R with `resizeLabels`.
 */
import { fitImage, mapLandmarks, squareFit } from '../image/fit-square';
import { resizeLabels } from '../image/resize-image';
import type { RgbImage } from '../image/rgb-image';
import type { Landmarks68 } from '../landmarks/landmarks';
import { landmarkOracleSegmentation } from '../segmentation/landmark-oracle';
import { LANDMARK_CANVAS, landmarkImageAt, toLandmarkCanvas } from './landmark-image-at';

export interface FrameInputs {
  /** the frame, R×R */
  rgb: RgbImage;
  /** landmarks in R×R pixels */
  landmarks: Landmarks68;
  /** the landmark image, R×R */
  landmarkImage: RgbImage;
  /** oracle segmentation class ids, R·R */
  segmentation: Uint8Array;
}

/** The oracle segmentation for landmarks given in R×R pixels, at R×R. */
export function segmentationAt(landmarks: Landmarks68, size: number): Uint8Array {
  const canvas = landmarkOracleSegmentation(
    toLandmarkCanvas(landmarks, size),
    LANDMARK_CANVAS,
    LANDMARK_CANVAS,
  );
  return resizeLabels(canvas, LANDMARK_CANVAS, LANDMARK_CANVAS, size, size);
}

/** A frame of any size and its landmarks (frame pixels) → the R×R inputs of the networks. */
export function frameInputsAt(image: RgbImage, landmarks: Landmarks68, size: number): FrameInputs {
  const fit = squareFit(image.width, image.height, size);
  const mapped = mapLandmarks(landmarks, fit);
  return {
    rgb: fitImage(image, size),
    landmarks: mapped,
    landmarkImage: landmarkImageAt(mapped, size),
    segmentation: segmentationAt(mapped, size),
  };
}
