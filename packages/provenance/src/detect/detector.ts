/**
 * Detector for scheme th-wm/1. Frames are added one by one (constant memory): each is reduced to
 * band phases at every candidate scale, of the frame and of its change since the frame before,
 * and added into one accumulator per position in the sign cycle. `result()` forms from these the
 * signed sum for each possible position of the first frame in the sign sequence (this cancels a
 * video's static content) and the unsigned sum (for videos whose re-encoding froze the mark of one
 * frame into all), then searches the alignments of the sync pattern in three nested families, and
 * reports the best one with the probability that content without the mark would score as high
 * (weighted Bonferroni over the families, each probability from the exact distribution of the
 * statistic under random key phases):
 *
 *   0  "as made": 2 tiles across, shift within ±1 px (half-pixel steps), sequence from the first
 *      frame or unsigned; the common case (re-encoded, resized, converted), 75 alignments, half
 *      of the false-alarm budget;
 *   1  any shift and sequence position at 2 tiles across (a trimmed clip), 133 120 alignments, a
 *      quarter;
 *   2  every scale too (cropped), 1 996 800 alignments, a quarter.
 *
 * At the found alignment it decodes the payload by trying all 2^16 payload patterns.
 */
import { type ImageBytes, lumaOf } from '../image';
import { fft2d } from '../math/fft';
import { utf8 } from '../math/sha256';
import { cosineSumTail } from '../math/tail-probability';
import { band } from '../scheme/band';
import { binSplit } from '../scheme/bin-split';
import { frameSign, frameSigns, payloadPhasesInto, syncPhases } from '../scheme/patterns';
import { decodePayload, PAYLOAD_COUNT, type WatermarkPayload } from '../scheme/payload';
import { DEFAULT_KEY, SCHEME_ID, SEQUENCE_PERIOD, SIGN_HOLD, TILE } from '../scheme/scheme';
import { frameFeatures, searchTileCounts } from './frame-features';
import type { Plane } from './resample';

/** A file counts as marked when unmarked content would reach its score with at most this probability. */
export const DETECTION_FALSE_ALARM = 1e-4;
/** A decoded payload is reported when a wrong payload would score as high with at most this probability. */
export const PAYLOAD_FALSE_ALARM = 1e-3;

export interface DetectorOptions {
  /** The key the content was marked with (default: the public key). */
  key?: string;
  /** Try to decode the payload (default true; ~0.5 s per result). */
  decodePayload?: boolean;
}

export interface DecodedPayload extends WatermarkPayload {
  value: number;
  /** Probability that some wrong payload would have scored as high (union over all tried). */
  falseAlarm: number;
}

export interface DetectionResult {
  scheme: string;
  frames: number;
  /** Whether the watermark is present (falseAlarm ≤ DETECTION_FALSE_ALARM). */
  present: boolean;
  /**
   * Probability that content without this watermark would score at least this high at some
   * alignment (an upper bound: weighted union over all alignments tried). Small means confident.
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
    /**
     * Position of the first frame in the cycle of frame signs (0 to SEQUENCE_PERIOD · SIGN_HOLD − 1
     * = 127: the stream index modulo the cycle); `static` when the frames were summed
     * without signs (a mark frozen by re-encoding; also the case of a single image).
     */
    sequenceOffset: number | 'static';
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

type Spectrum = { re: Float64Array; im: Float64Array };

interface Candidate {
  /** Smallest family the alignment belongs to. */
  family: 0 | 1 | 2;
  /** Position of the first frame in the sign cycle (0 … SEQUENCE_PERIOD·SIGN_HOLD − 1), or STATIC. */
  sequence: number;
  /** Scale index. */
  k: number;
  shift: [number, number];
  spectrum: Spectrum;
  x: number;
  z: number;
  /** Sync-bin weights of the statistic (spectrum magnitudes). */
  weights: Float64Array;
  /** Tail probability of x under "no mark" (NaN: not evaluated, see EXACT_TAILS_PER_FAMILY). */
  p: number;
}

const STATIC = -1;
/**
 * Shares of the false-alarm budget (weighted Bonferroni): half to the alignment as made, where
 * re-encoded, resized and converted copies land, a quarter each to the two searches.
 */
const FAMILY_SHARE = [0.5, 0.25, 0.25] as const;
/** Candidates per family whose tail probability is evaluated exactly, best normalised score first. */
const EXACT_TAILS_PER_FAMILY = 8;
/** Shifts of family 0, in canonical pixels per axis. */
const ANCHOR_SHIFTS = [-1, -0.5, 0, 0.5, 1];

export function createDetector(options: DetectorOptions = {}): Detector {
  const key = options.key ?? DEFAULT_KEY;
  const b = band();
  const split = binSplit(key);
  const sync = syncPhases(key, split.sync.length);
  const syncRe = Float64Array.from(sync, Math.cos);
  const syncIm = Float64Array.from(sync, Math.sin);
  const signs = frameSigns(key);
  const counts = searchTileCounts();
  const home = counts.indexOf(2);
  const spectra = () =>
    counts.map(() => ({ re: new Float64Array(b.size), im: new Float64Array(b.size) }));
  const cycle = SEQUENCE_PERIOD * SIGN_HOLD; // frames per period of the frame signs
  // Per position r in the sign cycle (frame t with t mod cycle = r), for each scale k: the sum of
  // the frames' band phases, byPosition[r][k], and of the band phases of their differences from
  // the frame before, changes[r][k]. The signed sums of every sequence hypothesis follow from
  // these at the end, so each frame costs one addition per scale whatever the number of hypotheses.
  // (allocated on first use: a detector fed one image holds one position)
  const byPosition: (Spectrum[] | undefined)[] = Array(cycle).fill(undefined);
  const changes: (Spectrum[] | undefined)[] = Array(cycle).fill(undefined);
  let frames = 0;
  let previous: Float64Array[] | null = null;

  const add = (a: Spectrum, f: Spectrum, s: number) => {
    for (let h = 0; h < b.size; h++) {
      a.re[h] = a.re[h]! + s * f.re[h]!;
      a.im[h] = a.im[h]! + s * f.im[h]!;
    }
  };
  const addLuma = (plane: Plane) => {
    const { features, tiles, differences } = frameFeatures(plane, counts, previous);
    const r = frames % cycle;
    const sums = byPosition[r] ?? spectra();
    byPosition[r] = sums;
    features.forEach((f, k) => {
      add(sums[k]!, f, 1);
    });
    if (differences) {
      const steps = changes[r] ?? spectra();
      changes[r] = steps;
      differences.forEach((g, k) => {
        add(steps[k]!, g, 1);
      });
    }
    previous = tiles;
    frames++;
  };

  /**
   * Accumulated spectra at every scale for the hypothesis "the first frame was at position j of
   * the sign sequence" (j = STATIC: all frames unsigned): Σ_t s_{t+j} · phases_t, plus the frame
   * differences weighted by the change of the sign, Σ_t (s_{t+j} − s_{t+j−1})/2 · phases(x_t −
   * x_{t−1}). The second sum is the first after a temporal high-pass: content that moves slowly
   * cancels in the difference, the mark's sign change doubles. Both are sums of phases that do not
   * depend on the key, so the statistic's distribution without the mark is unchanged.
   */
  const accumulated = (j: number): Spectrum[] => {
    const out = spectra();
    for (let r = 0; r < cycle; r++) {
      const sums = byPosition[r];
      if (!sums) continue;
      const sign = j === STATIC ? 1 : frameSign(signs, r + j);
      const step = j === STATIC ? 0 : (sign - frameSign(signs, r + j - 1)) / 2;
      const steps = changes[r];
      out.forEach((a, k) => {
        add(a, sums[k]!, sign);
        if (step !== 0 && steps) add(a, steps[k]!, step);
      });
    }
    return out;
  };

  /** Sync-bin weights (2|A|) and energy of a spectrum. */
  const syncWeights = (a: Spectrum) => {
    const weights = Float64Array.from(split.sync, (h) => 2 * Math.hypot(a.re[h]!, a.im[h]!));
    let energy = 0;
    for (const w of weights) energy += (w * w) / 2;
    return { weights, energy };
  };

  /** Best integer shift of the sync correlation surface (FFT over all shifts). */
  const bestShift = (a: Spectrum, sign: number) => {
    const re = new Float64Array(TILE * TILE);
    const im = new Float64Array(TILE * TILE);
    split.sync.forEach((h, i) => {
      const xr = sign * (a.re[h]! * syncRe[i]! + a.im[h]! * syncIm[i]!);
      const xi = sign * (a.im[h]! * syncRe[i]! - a.re[h]! * syncIm[i]!);
      re[b.index[h]!] = xr;
      im[b.index[h]!] = xi;
      re[b.conjugate[h]!] = xr;
      im[b.conjugate[h]!] = -xi;
    });
    fft2d(re, im, TILE, true);
    let tau = 0;
    for (let t = 1; t < re.length; t++) if (re[t]! > re[tau]!) tau = t;
    return { x: re[tau]!, shift: [tau % TILE, Math.floor(tau / TILE)] as [number, number] };
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
      // Sequence hypotheses: every offset signed, plus the unsigned sum with either sign. One
      // frame has only two distinct ones (its two signs); the unsigned sum is then the same.
      const minus = [...Array(cycle).keys()].find(
        (j) => frameSign(signs, j) !== frameSign(signs, 0),
      )!;
      const offsets = frames === 1 ? [0, minus] : [...Array(cycle).keys()];
      const sequences: { sequence: number; sign: number; of: (k: number) => Spectrum }[] = [];
      for (const j of offsets) {
        const spectra = accumulated(j);
        sequences.push({ sequence: j, sign: 1, of: (k) => spectra[k]! });
      }
      if (frames > 1) {
        const plain = accumulated(STATIC);
        sequences.push({ sequence: STATIC, sign: 1, of: (k) => plain[k]! });
        sequences.push({ sequence: STATIC, sign: -1, of: (k) => plain[k]! });
      }
      const family0 = sequences.filter((q) => q.sequence === 0 || q.sequence === STATIC);
      const sizes = [
        family0.length * ANCHOR_SHIFTS.length ** 2,
        sequences.length * TILE * TILE,
        sequences.length * counts.length * TILE * TILE,
      ];
      const candidates: Candidate[] = [];
      const score = (
        family: 0 | 1 | 2,
        q: (typeof sequences)[number],
        k: number,
        shift: [number, number],
        x: number,
      ) => {
        const a = q.of(k);
        const { weights, energy } = syncWeights(a);
        if (energy === 0) return;
        const spectrum = q.sign > 0 ? a : { re: a.re.map((v) => -v), im: a.im.map((v) => -v) };
        candidates.push({
          family,
          sequence: q.sequence,
          k,
          shift,
          spectrum,
          x,
          z: x / Math.sqrt(energy),
          weights,
          p: Number.NaN,
        });
      };
      for (const q of family0) {
        const a = q.of(home);
        let best = { x: -Infinity, shift: [0, 0] as [number, number] };
        for (const sy of ANCHOR_SHIFTS)
          for (const sx of ANCHOR_SHIFTS) {
            const x = q.sign * correlationAt(a, split.sync, syncRe, syncIm, sx, sy);
            if (x > best.x) best = { x, shift: [sx, sy] };
          }
        score(0, q, home, best.shift, best.x);
      }
      for (const q of sequences)
        counts.forEach((_, k) => {
          const { x, shift } = bestShift(q.of(k), q.sign);
          score(k === home ? 1 : 2, q, k, shift, x);
        });
      if (!candidates.length)
        // Flat frames: no band content at all, nothing to correlate.
        return {
          scheme: SCHEME_ID,
          frames,
          present: false,
          falseAlarm: 1,
          confidence: 0,
          score: 0,
          hypotheses: sizes[0]! + sizes[2]!,
          alignment: { tilesAcross: 2, shift: [0, 0], sequenceOffset: 0 },
          payload: null,
        };
      // Exact tail probabilities for the best-scoring candidates of each family only (they cost
      // ~0.3 ms each). The normalised score z ranks the candidates almost as p does; leaving a
      // candidate out can only raise the reported minimum, so the bound stays valid.
      for (const family of [0, 1, 2] as const)
        candidates
          .filter((c) => c.family === family)
          .sort((a, c) => c.z - a.z)
          .slice(0, EXACT_TAILS_PER_FAMILY)
          .forEach((c) => {
            c.p = cosineSumTail(c.weights, c.x);
          });
      // Weighted Bonferroni: P(any alignment of family f reaches p_f) ≤ size_f · p_f, and the
      // bound on the whole search is reached when size_f · p_f = share_f · falseAlarm.
      const falseAlarmOf = (c: Candidate) =>
        Number.isNaN(c.p) ? 1 : Math.min(1, (sizes[c.family]! * c.p) / FAMILY_SHARE[c.family]);
      let best = candidates.reduce((m, c) => (falseAlarmOf(c) < falseAlarmOf(m) ? c : m));
      const falseAlarm = falseAlarmOf(best);
      const present = falseAlarm <= DETECTION_FALSE_ALARM;
      // With a strong mark, wrong sequence offsets correlate a little too and reach about the same
      // normalised score; at the found scale the detected alignment with the largest x is the one.
      if (present)
        best = candidates
          .filter((c) => c.k === best.k && falseAlarmOf(c) <= DETECTION_FALSE_ALARM)
          .reduce((m, c) => (c.x > m.x ? c : m), best);
      const shift = refineShift(best.spectrum, split.sync, syncRe, syncIm, best.shift);
      // The scale grid is coarse for the payload's sake: decode at the best scale and its two
      // neighbours (same sequence hypothesis, each at its own best shift).
      const alignments = candidates
        .filter((c) => c.family > 0 && c.sequence === best.sequence && Math.abs(c.k - best.k) <= 1)
        .filter((c) => c.sequence !== STATIC || Math.sign(c.x) === Math.sign(best.x))
        .map((c) => ({
          spectrum: c.spectrum,
          shift:
            c.k === best.k ? shift : refineShift(c.spectrum, split.sync, syncRe, syncIm, c.shift),
        }));
      const payload =
        present && options.decodePayload !== false
          ? decodeBest(
              key,
              alignments.length ? alignments : [{ spectrum: best.spectrum, shift }],
              split.payload,
            )
          : null;
      return {
        scheme: SCHEME_ID,
        frames,
        present,
        falseAlarm,
        confidence: 1 - falseAlarm,
        score: best.z,
        hypotheses: sizes[0]! + sizes[2]!,
        alignment: {
          tilesAcross: counts[best.k]!,
          shift,
          sequenceOffset: best.sequence === STATIC ? 'static' : best.sequence,
        },
        payload,
      };
    },
  };
}

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
  [px, py]: [number, number],
): [number, number] {
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
