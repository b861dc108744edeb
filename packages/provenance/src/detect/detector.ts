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
import { binSplit } from '../scheme/bin-split';
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

const NONE = { x: 0, z: 0, p: 1, j: 0, k: 0, tau: 0 };

export function createDetector(options: DetectorOptions = {}): Detector {
  const key = options.key ?? DEFAULT_KEY;
  const b = band();
  const split = binSplit(key);
  const sync = syncPhases(key, split.sync.length);
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
      // Per (offset, scale): the best shift, its correlation x and the probability p of reaching x
      // without the watermark (given that alignment's spectrum magnitudes). Detection and the scale
      // use the smallest p. With a strong mark, wrong sequence offsets correlate a little too and
      // reach the same normalised score, so at that scale the offset with the largest x is taken.
      const candidates: { x: number; z: number; p: number; j: number; k: number; tau: number }[] =
        [];
      const re = new Float64Array(TILE * TILE);
      const im = new Float64Array(TILE * TILE);
      const weights = new Float64Array(split.sync.length);
      for (const j of offsets)
        counts.forEach((_, k) => {
          const a = acc[j]![k]!;
          re.fill(0);
          im.fill(0);
          let energy = 0;
          split.sync.forEach((h, i) => {
            // X = A · conj(K) on the sync bins
            const xr = a.re[h]! * syncRe[i]! + a.im[h]! * syncIm[i]!;
            const xi = a.im[h]! * syncRe[i]! - a.re[h]! * syncIm[i]!;
            re[b.index[h]!] = xr;
            im[b.index[h]!] = xi;
            re[b.conjugate[h]!] = xr;
            im[b.conjugate[h]!] = -xi;
            weights[i] = 2 * Math.hypot(a.re[h]!, a.im[h]!);
            energy += weights[i]! ** 2 / 2;
          });
          if (energy === 0) return;
          fft2d(re, im, TILE, true);
          let tau = 0;
          for (let t = 1; t < re.length; t++) if (re[t]! > re[tau]!) tau = t;
          const x = re[tau]!;
          candidates.push({ x, z: x / Math.sqrt(energy), p: cosineSumTail(weights, x), j, k, tau });
        });
      const hypotheses = offsets.length * counts.length * TILE * TILE;
      let best = candidates.reduce((m, c) => (c.p < m.p ? c : m), candidates[0] ?? NONE);
      // Bonferroni: the smallest per-alignment probability times the number of alignments.
      const falseAlarm = Math.min(1, best.p * hypotheses);
      const present = falseAlarm <= DETECTION_FALSE_ALARM;
      if (present)
        best = candidates
          .filter((c) => c.k === best.k && c.p * hypotheses <= DETECTION_FALSE_ALARM)
          .reduce((m, c) => (c.x > m.x ? c : m), best);
      const shift = refineShift(acc[best.j]![best.k]!, split.sync, syncRe, syncIm, best.tau);
      // The scale grid is coarse for the payload's sake: decode at the best scale and its two
      // neighbours (each at its own best shift), keeping the best-scoring payload.
      const alignments = candidates
        .filter((c) => c.j === best.j && Math.abs(c.k - best.k) <= 1)
        .map((c) => ({
          spectrum: acc[c.j]![c.k]!,
          shift:
            c === best ? shift : refineShift(acc[c.j]![c.k]!, split.sync, syncRe, syncIm, c.tau),
        }));
      const payload =
        present && options.decodePayload !== false
          ? decodeBest(key, alignments, split.payload)
          : null;
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

/** Correlation of spectrum `a` on `bins` with unit phasors (cos, sin) at a (fractional) shift. */
function correlationAt(
  a: Spectrum,
  bins: Int32Array,
  cos: Float64Array,
  sin: Float64Array,
  sx: number,
  sy: number,
) {
  const b = band();
  let x = 0;
  bins.forEach((h, i) => {
    const ang = (2 * Math.PI * (b.u[h]! * sx + b.v[h]! * sy)) / TILE;
    const br = a.re[h]! * Math.cos(ang) - a.im[h]! * Math.sin(ang);
    const bi = a.re[h]! * Math.sin(ang) + a.im[h]! * Math.cos(ang);
    x += 2 * (br * cos[i]! + bi * sin[i]!);
  });
  return x;
}

/** Sub-pixel peak position by a parabola through the peak and its neighbours on each axis. */
function refineShift(
  a: Spectrum,
  bins: Int32Array,
  cos: Float64Array,
  sin: Float64Array,
  tau: number,
): [number, number] {
  const px = tau % TILE;
  const py = Math.floor(tau / TILE);
  const at = (x: number, y: number) => correlationAt(a, bins, cos, sin, x, y);
  const c = at(px, py);
  const offset = (m: number, p: number) => {
    const d = m - 2 * c + p;
    return d < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (m - p)) / d)) : 0;
  };
  return [px + offset(at(px - 1, py), at(px + 1, py)), py + offset(at(px, py - 1), at(px, py + 1))];
}

/**
 * Maximum-likelihood payload: the best of all 2^16 payload patterns at the given alignments. Its
 * false-alarm probability is a union over every wrong payload at every alignment tried.
 */
function decodeBest(
  key: string,
  alignments: { spectrum: Spectrum; shift: [number, number] }[],
  bins: Int32Array,
): DecodedPayload | null {
  const b = band();
  const n = bins.length;
  const prepared = alignments.map(({ spectrum: a, shift }) => {
    const br = new Float64Array(n);
    const bi = new Float64Array(n);
    const weights = new Float64Array(n);
    bins.forEach((h, i) => {
      const ang = (2 * Math.PI * (b.u[h]! * shift[0] + b.v[h]! * shift[1])) / TILE;
      br[i] = a.re[h]! * Math.cos(ang) - a.im[h]! * Math.sin(ang);
      bi[i] = a.re[h]! * Math.sin(ang) + a.im[h]! * Math.cos(ang);
      weights[i] = 2 * Math.hypot(a.re[h]!, a.im[h]!);
    });
    return { br, bi, weights, bestScore: -Infinity, bestValue: -1 };
  });
  const phases = new Float64Array(n);
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  const prefix = utf8(`${key}\u0000payload\u0000`);
  for (let p = 0; p < PAYLOAD_COUNT; p++) {
    payloadPhasesInto(key, p, phases, prefix);
    for (let i = 0; i < n; i++) {
      cos[i] = Math.cos(phases[i]!);
      sin[i] = Math.sin(phases[i]!);
    }
    for (const al of prepared) {
      let x = 0;
      for (let i = 0; i < n; i++) x += al.br[i]! * cos[i]! + al.bi[i]! * sin[i]!;
      if (x > al.bestScore) {
        al.bestScore = x;
        al.bestValue = p;
      }
    }
  }
  let best = { value: -1, falseAlarm: 1 };
  for (const al of prepared) {
    const tail = cosineSumTail(al.weights, 2 * al.bestScore);
    const falseAlarm = Math.min(1, tail * (PAYLOAD_COUNT - 1) * prepared.length);
    if (falseAlarm < best.falseAlarm) best = { value: al.bestValue, falseAlarm };
  }
  if (best.value < 0 || best.falseAlarm > PAYLOAD_FALSE_ALARM) return null;
  return { value: best.value, ...decodePayload(best.value), falseAlarm: best.falseAlarm };
}
