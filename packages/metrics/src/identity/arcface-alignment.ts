import {
  applySimilarityToPoint,
  fitSimilarity,
  invertSimilarity,
  type Point,
  type Similarity2D,
} from '@th/data';
import type { HwcImage } from '../image';
import { assertHwcImage } from '../image';

/** Side of the aligned crop every ArcFace-family recogniser expects. */
export const ARCFACE_CROP_SIZE = 112;

/**
 * insightface's 5-point template for a 112x112 crop (`arcface_dst` in its `face_align.py`):
 * image-left eye centre, image-right eye centre, nose tip, image-left and image-right mouth
 * corners, in pixels with integer pixel centres.
 */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/**
 * The 5 ArcFace points from 68 iBUG landmarks (0-based): eye centres = mean of points 36–41
 * (image-left eye) and 42–47 (image-right eye), nose tip = 30, mouth corners = 48 and 54.
 */
export function fivePointsFrom68(landmarks: readonly Point[]): Point[] {
  if (landmarks.length !== 68) {
    throw new Error(`fivePointsFrom68: expected 68 landmarks, got ${landmarks.length}`);
  }
  const centre = (from: number): Point => {
    let x = 0;
    let y = 0;
    for (let i = from; i < from + 6; i++) {
      x += landmarks[i]![0];
      y += landmarks[i]![1];
    }
    return [x / 6, y / 6];
  };
  return [centre(36), centre(42), landmarks[30]!, landmarks[48]!, landmarks[54]!];
}

/**
 * Bilinear sample of channel `c` at (x, y) with integer pixel centres; pixels outside the image
 * count as 0 (OpenCV `warpAffine`'s default constant border, which insightface's crop uses).
 */
function sampleBilinear(image: HwcImage, x: number, y: number, c: number): number {
  const { data, width, height, channels } = image;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xi: number, yi: number) =>
    xi < 0 || yi < 0 || xi >= width || yi >= height ? 0 : data[(yi * width + xi) * channels + c]!;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * Warps `image` by the similarity `toCrop` (image → crop coordinates) into a size x size crop:
 * crop pixel (u, v) takes the bilinear sample of the image at toCrop⁻¹(u, v). Values keep the
 * input's range as float32 (no rounding to uint8).
 */
export function warpSimilarity(
  image: HwcImage,
  toCrop: Similarity2D,
  size = ARCFACE_CROP_SIZE,
): HwcImage & { data: Float32Array } {
  assertHwcImage(image, 'warpSimilarity');
  const back = invertSimilarity(toCrop);
  const { channels } = image;
  const out = new Float32Array(size * size * channels);
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const [x, y] = applySimilarityToPoint(back, [u, v]);
      for (let c = 0; c < channels; c++) {
        out[(v * size + u) * channels + c] = sampleBilinear(image, x, y, c);
      }
    }
  }
  return { data: out, height: size, width: size, channels };
}

/**
 * ArcFace alignment: fit the similarity that maps the 5 face points onto {@link ARCFACE_TEMPLATE}
 * (least squares, {@link fitSimilarity}) and warp the image into the 112x112 crop with it.
 */
export function alignArcFace(
  image: HwcImage,
  fivePoints: readonly Point[],
): { crop: HwcImage & { data: Float32Array }; transform: Similarity2D } {
  if (fivePoints.length !== 5) {
    throw new Error(`alignArcFace: expected 5 face points, got ${fivePoints.length}`);
  }
  const transform = fitSimilarity(fivePoints, ARCFACE_TEMPLATE);
  return { crop: warpSimilarity(image, transform), transform };
}
