/**
 * LSR's landmark ("contour") image (docs/design.md#landmark-image, same recipe as FSTH): on a black
 * canvas of
 * the frame size, each facial part is drawn as an OPEN polyline, 2 pt wide at dpi 100
 * (2·100/72 ≈ 2.78 px), anti-aliased, in a fixed colour, in the order of LANDMARK_PARTS (later
 * parts paint over earlier ones). Platform-neutral: pure TypeScript on typed arrays.
 */
import { assertImageSize, type RgbImage, toSignedUnit } from '../image/rgb-image';
import { LANDMARK_COUNT, type Landmarks68 } from '../landmarks/landmarks';
import { type LineCap, strokePolylineCoverage } from './stroke-coverage';

export interface LandmarkPart {
  name: string;
  /** inclusive 0-based landmark index range of one open polyline */
  from: number;
  to: number;
  colour: readonly [number, number, number];
}

const GREEN = [0, 128, 0] as const;
const ORANGE = [255, 165, 0] as const;
const BLUE = [0, 0, 255] as const;
const RED = [255, 0, 0] as const;
const PURPLE = [128, 0, 128] as const;
const PINK = [255, 192, 203] as const;

/**
 * The design's table (docs/design.md#landmark-image): parts, index ranges and colours (matplotlib
 * named colours).
 */
export const LANDMARK_PARTS: readonly LandmarkPart[] = [
  { name: 'jaw', from: 0, to: 16, colour: GREEN },
  { name: 'right brow', from: 17, to: 21, colour: ORANGE },
  { name: 'left brow', from: 22, to: 26, colour: ORANGE },
  { name: 'nose bridge', from: 27, to: 30, colour: BLUE },
  { name: 'lower nose', from: 31, to: 35, colour: BLUE },
  { name: 'right eye', from: 36, to: 41, colour: RED },
  { name: 'left eye', from: 42, to: 47, colour: RED },
  { name: 'outer lip', from: 48, to: 59, colour: PURPLE },
  { name: 'inner lip', from: 60, to: 67, colour: PINK },
];

/** The six distinct part colours, in table order (used to classify rendered pixels). */
export const LANDMARK_COLOURS = [GREEN, ORANGE, BLUE, RED, PURPLE, PINK] as const;

export interface LandmarkImageOptions {
  width?: number;
  height?: number;
  /** line width in points (default 2) and dots per inch (default 100) */
  linePoints?: number;
  dpi?: number;
  /** end caps; matplotlib's default for solid lines is 'projecting' */
  cap?: LineCap;
  /** anti-aliasing sub-samples per pixel side (default 8 → 64 coverage levels) */
  samples?: number;
}

/** Render 68 landmarks (pixel-centre coordinates) to an RGB landmark image (default 224²). */
export function renderLandmarkImage(
  landmarks: Landmarks68,
  options: LandmarkImageOptions = {},
): RgbImage {
  const width = options.width ?? 224;
  const height = options.height ?? 224;
  assertImageSize(width, height, 'renderLandmarkImage');
  if (landmarks.length !== LANDMARK_COUNT) {
    throw new Error(
      `renderLandmarkImage: expected ${LANDMARK_COUNT} landmarks, got ${landmarks.length}`,
    );
  }
  const style = {
    width: ((options.linePoints ?? 2) * (options.dpi ?? 100)) / 72,
    cap: options.cap ?? 'projecting',
    samples: options.samples ?? 8,
  };
  const canvas = new Float32Array(width * height * 3); // black background, linear 0..255
  const coverage = new Float32Array(width * height);
  for (const part of LANDMARK_PARTS) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = part.from; i <= part.to; i++) {
      xs.push(landmarks[i]![0]);
      ys.push(landmarks[i]![1]);
    }
    const box = strokePolylineCoverage(xs, ys, style, coverage, width, height);
    if (!box) continue;
    // "over" compositing of a solid colour with coverage as alpha, then clear the scratch map.
    for (let y = box.y0; y <= box.y1; y++) {
      for (let x = box.x0; x <= box.x1; x++) {
        const p = y * width + x;
        const a = coverage[p]!;
        if (a === 0) continue;
        for (let c = 0; c < 3; c++) {
          canvas[p * 3 + c] = canvas[p * 3 + c]! * (1 - a) + part.colour[c]! * a;
        }
        coverage[p] = 0;
      }
    }
  }
  const data = new Uint8Array(canvas.length);
  for (let i = 0; i < canvas.length; i++) data[i] = Math.round(canvas[i]!);
  return { width, height, data };
}

/** The landmark image as the networks see it: HWC float32 in [-1, 1] (background −1). */
export function renderLandmarkImageSigned(
  landmarks: Landmarks68,
  options: LandmarkImageOptions = {},
): Float32Array {
  return toSignedUnit(renderLandmarkImage(landmarks, options));
}
