/**
 * Detector for scheme th-wm/1. Frames are added one by one (constant memory); `result()` searches
 * every alignment of the sync pattern (tile scale × circular shift × position in the frame-sign
 * sequence), reports the best one with the probability that unmarked content would score as high
 * anywhere in that search (union bound over all alignments, each from the exact distribution of
 * the statistic under random key phases), and then decodes the payload there by trying all 2^16
 * payload patterns.
 */
import { type ImageBytes, lumaOf } from '../image';
import { fft2d } from '../math/fft';
import { utf8 } from '../math/sha256';
import { cosineSumTail } from '../math/tail-probability';
import { band } from '../scheme/band';
import { frameSign, frameSigns, payloadPhasesInto, syncPhases } from '../scheme/patterns';
import { decodePayload, PAYLOAD_COUNT, type WatermarkPayload } from '../scheme/payload';
import { DEFAULT_KEY, SCHEME_ID, SEQUENCE_PERIOD, TILE } from '../scheme/scheme';
import { frameFeatures, searchTileCounts } from './frame-features';
import type { Plane } from './resample';

/** A file counts as marked when unmarked content would reach its score with at most this probability. */
export const DETECTION_FALSE_ALARM = 1e-3;
/** A decoded payload is reported when a wrong payload would score as high with at most this probability. */
export const PAYLOAD_FALSE_ALARM = 1e-3;

export interface DetectorOptions {
  /** The key the content was marked with (default: the public key). */
  key?: string;
  /** Try to decode the payload (default true; ~0.3 s per result). */
  decodePayload?: boolean;
}

export interface DecodedPayload extends WatermarkPayload {
  value: number;
  /** Probability that some wrong payload would have scored as high (union over 2^16 − 1). */
  falseAlarm: number;
}

export interface DetectionResult {
  scheme: string;
  frames: number;
  /** Whether the watermark is present (falseAlarm ≤ DETECTION_FALSE_ALARM). */
  present: boolean;
  /**
   * Probability that content without this watermark would score at least this high at some
   * alignment (an upper bound: union over all alignments tried). Small means confident.
   */
  falseAlarm: number;
  /** 1 − falseAlarm. */
  confidence: number;
  /** Normalised correlation of the best alignment (≈ standard deviations above chance). */
  score: number;
  /** Number of alignments searched. */
  hypotheses: number;
  alignment: {
    /** Tiles across the short side (2 = the size the mark was made at). */
    tilesAcross: number;
    /** Shift of the tile in canonical pixels (x, y). */
    shift: [number, number];
    /** Position of the first frame in the frame-sign sequence (or its sign for a single frame). */
    sequenceOffset: number;
  };
  /** The decoded payload, or null when none could be read reliably (or the mark is absent). */
  payload: DecodedPayload | null;
}

export interface Detector {
  /** Add the next frame of the sequence (RGB or RGBA). */
  addFrame(image: ImageBytes): void;
  /** Add the next frame as a luma plane (e.g. decoded straight from a video's Y channel). */
  addLuma(plane: Plane): void;
  readonly frames: number;
  result(): DetectionResult;
}

export function createDetector(options: DetectorOptions = {}): Detector {
  const key = options.key ?? DEFAULT_KEY;
  const b = band();
  const sync = syncPhases(key);
  const syncRe = Float64Array.from(sync, Math.cos);
  const syncIm = Float64Array.from(sync, Math.sin);
  const signs = frameSigns(key);
  const counts = searchTileCounts();
  // acc[offset][scale] = Σ_t s_{t+offset} · phases_t  (half-band re/im)
  const acc = Array.from({ length: SEQUENCE_PERIOD }, () =>
    counts.map(() => ({ re: new Float64Array(b.size), im: new Float64Array(b.size) })),
  );
  let frames = 0;

  const addLuma = (plane: Plane) => {
    const features = frameFeatures(plane, counts);
    for (let j = 0; j < SEQUENCE_PERIOD; j++) {
      const s = frameSign(signs, frames + j);
      features.forEach((f, k) => {
        const a = acc[j]![k]!;
        for (let h = 0; h < b.size; h++) {
          a.re[h] = a.re[h]! + s * f.re[h]!;
          a.im[h] = a.im[h]! + s * f.im[h]!;
        }
      });
    }
    frames++;
  };

  return {
    addLuma,
    addFrame(image) {
      addLuma({ width: image.width, height: image.height, data: lumaOf(image, 'detect') });
    },
    get frames() {
      return frames;
    },
    result() {
      if (frames === 0) throw new Error('detect: no frames were added');
      // One frame: its two signs are the only distinct sequence positions.
      const offsets = frames === 1 ? [0, signs.indexOf(-signs[0]!)] : [...signs.keys()];
      // Per (offset, scale): the best shift. The reported alignment is the one least likely under
      // "no watermark" (smallest tail probability, given that alignment's spectrum magnitudes).
      let best = { z: 0, p: 1, j: offsets[0]!, k: 0, tau: 0 };
      const re = new Float64Array(TILE * TILE);
      const im = new Float64Array(TILE * TILE);
      const weights = new Float64Array(b.size);
      for (const j of offsets)
        counts.forEach((_, k) => {
          const a = acc[j]![k]!;
          re.fill(0);
          im.fill(0);
          let energy = 0;
          for (let h = 0; h < b.size; h++) {
            // X = A · conj(K)
            const xr = a.re[h]! * syncRe[h]! + a.im[h]! * syncIm[h]!;
            const xi = a.im[h]! * syncRe[h]! - a.re[h]! * syncIm[h]!;
            re[b.index[h]!] = xr;
            im[b.index[h]!] = xi;
            re[b.conjugate[h]!] = xr;
            im[b.conjugate[h]!] = -xi;
            energy += 2 * (a.re[h]! ** 2 + a.im[h]! ** 2);
          }
          if (energy === 0) return;
          fft2d(re, im, TILE, true);
          let tau = 0;
          for (let t = 1; t < re.length; t++) if (re[t]! > re[tau]!) tau = t;
          for (let h = 0; h < b.size; h++) weights[h] = 2 * Math.hypot(a.re[h]!, a.im[h]!);
          const p = cosineSumTail(weights, re[tau]!);
          const z = re[tau]! / Math.sqrt(energy);
          if (p < best.p || (p === best.p && z > best.z)) best = { z, p, j, k, tau };
        });
      const hypotheses = offsets.length * counts.length * TILE * TILE;
      const a = acc[best.j]![best.k]!;
      for (let h = 0; h < b.size; h++) weights[h] = 2 * Math.hypot(a.re[h]!, a.im[h]!);
      // Bonferroni: the smallest per-alignment probability times the number of alignments.
      const falseAlarm = Math.min(1, best.p * hypotheses);
      const present = falseAlarm <= DETECTION_FALSE_ALARM;
      const shift = refineShift(a, syncRe, syncIm, best.tau);
      const payload =
        present && options.decodePayload !== false ? decodeBest(key, a, weights, shift) : null;
      return {
        scheme: SCHEME_ID,
        frames,
        present,
        falseAlarm,
        confidence: 1 - falseAlarm,
        score: best.z,
        hypotheses,
        alignment: {
          tilesAcross: counts[best.k]!,
          shift,
          sequenceOffset: frames === 1 ? signs[best.j]! : best.j,
        },
        payload,
      };
    },
  };
}

type Spectrum = { re: Float64Array; im: Float64Array };

/** Correlation of spectrum `a` with unit-phase pattern (cos, sin) at a (fractional) shift. */
function correlationAt(a: Spectrum, cos: Float64Array, sin: Float64Array, sx: number, sy: number) {
  const b = band();
  let x = 0;
  for (let h = 0; h < b.size; h++) {
    const ang = (2 * Math.PI * (b.u[h]! * sx + b.v[h]! * sy)) / TILE;
    const br = a.re[h]! * Math.cos(ang) - a.im[h]! * Math.sin(ang);
    const bi = a.re[h]! * Math.sin(ang) + a.im[h]! * Math.cos(ang);
    x += 2 * (br * cos[h]! + bi * sin[h]!);
  }
  return x;
}

/** Sub-pixel peak position by a parabola through the peak and its neighbours on each axis. */
function refineShift(a: Spectrum, cos: Float64Array, sin: Float64Array, tau: number) {
  const px = tau % TILE;
  const py = Math.floor(tau / TILE);
  const c = correlationAt(a, cos, sin, px, py);
  const offset = (m: number, p: number) => {
    const d = m - 2 * c + p;
    return d < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (m - p)) / d)) : 0;
  };
  const dx = offset(correlationAt(a, cos, sin, px - 1, py), correlationAt(a, cos, sin, px + 1, py));
  const dy = offset(correlationAt(a, cos, sin, px, py - 1), correlationAt(a, cos, sin, px, py + 1));
  return [px + dx, py + dy] as [number, number];
}

/** Maximum-likelihood payload: the best of all 2^16 payload patterns at the found alignment. */
function decodeBest(
  key: string,
  a: Spectrum,
  weights: Float64Array,
  shift: [number, number],
): DecodedPayload | null {
  const b = band();
  const br = new Float64Array(b.size);
  const bi = new Float64Array(b.size);
  for (let h = 0; h < b.size; h++) {
    const ang = (2 * Math.PI * (b.u[h]! * shift[0] + b.v[h]! * shift[1])) / TILE;
    br[h] = a.re[h]! * Math.cos(ang) - a.im[h]! * Math.sin(ang);
    bi[h] = a.re[h]! * Math.sin(ang) + a.im[h]! * Math.cos(ang);
  }
  const phases = new Float64Array(b.size);
  const prefix = utf8(`${key}\u0000payload\u0000`);
  let bestValue = -1;
  let bestScore = -Infinity;
  for (let p = 0; p < PAYLOAD_COUNT; p++) {
    payloadPhasesInto(key, p, phases, prefix);
    let x = 0;
    for (let h = 0; h < b.size; h++)
      x += br[h]! * Math.cos(phases[h]!) + bi[h]! * Math.sin(phases[h]!);
    if (x > bestScore) {
      bestScore = x;
      bestValue = p;
    }
  }
  const falseAlarm = Math.min(1, cosineSumTail(weights, 2 * bestScore) * (PAYLOAD_COUNT - 1));
  if (falseAlarm > PAYLOAD_FALSE_ALARM) return null;
  return { value: bestValue, ...decodePayload(bestValue), falseAlarm };
}
