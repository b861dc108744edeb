/**
 * A stand-in for LSR's oracle face parsing (a CelebAMask-HQ U-Net we cannot ship) built only from
 * the 68 landmarks: class polygons painted back to front onto a background map.
 *
 *   hair   a band of height HAIR·s above the forehead line, slightly wider than the face
 *   cloth  everything below a line CLOTH_TOP·s under the jaw corners, widening to the image edge
 *   neck   the jaw between points 4 and 12, continued straight down NECK·s (narrowed a little)
 *   skin   jaw contour 0–16 closed over the brows raised by FOREHEAD·s
 *   nose   27 (widened toward the inner eye corners) down to the nostrils 31–35 (wings widened)
 *   brows  each 5-point brow line thickened downward by BROW·s
 *   eyes   36–41 / 42–47, scaled by EYE about their centroid
 *   lips   upper lip = outer 48–54 + inner 64–60; lower lip = outer 54–59,48 + inner 60,67–64;
 *          mouth = inner lip polygon 60–67
 * where s = |p16 − p0| (face width) and "up" is perpendicular to the line between eye centres.
 *
 * Limits (see README): no ears, earrings, glasses, hats or necklaces (never produced); hair, neck
 * and cloth are geometric guesses that ignore the real hairline and clothing; occlusions ignored.
 */
import type { Landmarks68, Point } from '../landmarks/landmarks';
import { LANDMARK_COUNT } from '../landmarks/landmarks';
import { SEG } from './classes';
import { fillPolygon } from './fill-polygon';

const FOREHEAD = 0.22;
const HAIR = 0.25;
const BROW = 0.05;
const EYE = 1.15;
const NECK = 0.6;
const CLOTH_TOP = 0.35;

type Vec = readonly [number, number];
const add = (p: Vec, q: Vec, k = 1): Point => [p[0] + q[0] * k, p[1] + q[1] * k];
const lerp = (p: Vec, q: Vec, t: number): Point => [
  p[0] + (q[0] - p[0]) * t,
  p[1] + (q[1] - p[1]) * t,
];
const centroid = (ps: readonly Vec[]): Point => [
  ps.reduce((a, p) => a + p[0], 0) / ps.length,
  ps.reduce((a, p) => a + p[1], 0) / ps.length,
];

/** Build the 19-class map (CelebAMask-HQ ids, row-major width×height) from 68 landmarks. */
export function landmarkOracleSegmentation(
  landmarks: Landmarks68,
  width: number,
  height: number,
): Uint8Array {
  if (landmarks.length !== LANDMARK_COUNT) {
    throw new Error(`landmarkOracleSegmentation: expected 68 landmarks, got ${landmarks.length}`);
  }
  const L = (i: number): Vec => landmarks[i]!;
  const range = (a: number, b: number): Vec[] => {
    const out: Vec[] = [];
    for (let i = a; a <= b ? i <= b : i >= b; i += a <= b ? 1 : -1) out.push(L(i));
    return out;
  };
  const s = Math.hypot(L(16)[0] - L(0)[0], L(16)[1] - L(0)[1]);
  const eyeR = centroid(range(36, 41)); // subject's right eye, image left
  const eyeL = centroid(range(42, 47));
  const eyeDist = Math.hypot(eyeL[0] - eyeR[0], eyeL[1] - eyeR[1]) || 1;
  const right: Vec = [(eyeL[0] - eyeR[0]) / eyeDist, (eyeL[1] - eyeR[1]) / eyeDist];
  const up: Vec = [right[1], -right[0]];
  const down: Vec = [-up[0], -up[1]];
  const far = 4 * Math.max(width, height); // reaches past any image edge

  const labels = new Uint8Array(width * height); // 0 = background
  const paint = (poly: readonly Vec[], id: number) => fillPolygon(labels, width, height, poly, id);

  const foreheadLine = range(26, 17).map((p) => add(p, up, FOREHEAD * s));
  const hairTop = range(17, 26).map((p) => add(p, up, (FOREHEAD + HAIR) * s));
  paint(
    [
      add(L(0), right, -0.1 * s),
      add(hairTop[0]!, right, -0.1 * s),
      ...hairTop,
      add(hairTop[hairTop.length - 1]!, right, 0.1 * s),
      add(L(16), right, 0.1 * s),
      L(16),
      ...foreheadLine,
      L(0),
    ],
    SEG.hair,
  );

  const clothLeft = add(L(3), down, CLOTH_TOP * s);
  const clothRight = add(L(13), down, CLOTH_TOP * s);
  paint(
    [
      clothLeft,
      clothRight,
      add(clothRight, right, far),
      add(add(clothRight, right, far), down, far),
      add(add(clothLeft, right, -far), down, far),
      add(clothLeft, right, -far),
    ],
    SEG.cloth,
  );

  const neckLeft = lerp(L(4), L(12), 0.08);
  const neckRight = lerp(L(12), L(4), 0.08);
  paint([...range(4, 12), add(neckRight, down, NECK * s), add(neckLeft, down, NECK * s)], SEG.neck);

  paint([...range(0, 16), ...foreheadLine], SEG.skin);

  paint(
    [
      lerp(L(27), L(39), 0.35),
      add(L(31), [L(31)[0] - L(33)[0], L(31)[1] - L(33)[1]], 0.4),
      add(L(32), down, 0.01 * s),
      add(L(33), down, 0.01 * s),
      add(L(34), down, 0.01 * s),
      add(L(35), [L(35)[0] - L(33)[0], L(35)[1] - L(33)[1]], 0.4),
      lerp(L(27), L(42), 0.35),
    ],
    SEG.nose,
  );

  const brow = (a: number, b: number) => [
    ...range(a, b),
    ...range(b, a).map((p) => add(p, down, BROW * s)),
  ];
  paint(brow(17, 21), SEG.r_brow);
  paint(brow(22, 26), SEG.l_brow);

  const eye = (a: number, b: number) => {
    const c = centroid(range(a, b));
    return range(a, b).map((p) => lerp(c, p, EYE));
  };
  paint(eye(36, 41), SEG.r_eye);
  paint(eye(42, 47), SEG.l_eye);

  paint([...range(48, 54), ...range(64, 60)], SEG.u_lip);
  paint([...range(54, 59), L(48), L(60), ...range(67, 64)], SEG.l_lip);
  paint(range(60, 67), SEG.mouth);
  return labels;
}
