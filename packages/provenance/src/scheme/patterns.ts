/**
 * The keyed patterns of scheme v1, as spectra over the half-band (unit-magnitude coefficients
 * with keyed phases) and as pixels at any frame size.
 *
 * - sync pattern, on the sync bins (see bin-split.ts): phases from keyed stream "sync"; the
 *   detector finds geometry with it.
 * - payload pattern for payload value p, on the payload bins: phases from xoshiro128** seeded with
 *   the first 16 bytes of SHA-256(key ‖ 0x00 ‖ "payload" ‖ 0x00 ‖ p as 4 big-endian bytes); one per
 *   value, a random code the detector decodes by trying all 2^16.
 * - frame signs: the balanced ±1 sequence of period SEQUENCE_PERIOD, a keyed shuffle, each sign
 *   held for SIGN_HOLD frames.
 */
import { sha256, utf8 } from '../math/sha256';
import { type Band, band } from './band';
import { keyedPhases, keyedUint32 } from './keyed-random';
import { SEQUENCE_PERIOD, SIGN_HOLD, TILE, TILES_PER_FRAME } from './scheme';

/** Phases of the sync pattern, one per sync bin (in the order of `binSplit(key).sync`). */
export function syncPhases(key: string, count: number): Float64Array {
  return keyedPhases(key, 'sync', count);
}

function xoshiro128(seed: Uint8Array): () => number {
  const s = new Uint32Array(4);
  const view = new DataView(seed.buffer, seed.byteOffset, 16);
  for (let i = 0; i < 4; i++) s[i] = view.getUint32(i * 4);
  if (!(s[0]! | s[1]! | s[2]! | s[3]!)) s[0] = 1;
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  return () => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2] = s[2]! ^ s[0]!;
    s[3] = s[3]! ^ s[1]!;
    s[1] = s[1]! ^ s[2]!;
    s[0] = s[0]! ^ s[3]!;
    s[2] = s[2]! ^ t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
}

/** Writes the payload pattern's phases for value `payload` into `out` (one per payload bin). */
export function payloadPhasesInto(
  key: string,
  payload: number,
  out: Float64Array,
  prefix = utf8(`${key}\u0000payload\u0000`),
): void {
  const message = new Uint8Array(prefix.length + 4);
  message.set(prefix);
  new DataView(message.buffer).setUint32(prefix.length, payload);
  const next = xoshiro128(sha256(message));
  for (let i = 0; i < out.length; i++) out[i] = (next() / 2 ** 32) * 2 * Math.PI;
}

export function payloadPhases(key: string, payload: number, count: number): Float64Array {
  const out = new Float64Array(count);
  payloadPhasesInto(key, payload, out);
  return out;
}

/**
 * The keyed sign sequence, one period of SEQUENCE_PERIOD signs: pairs (b, −b) of a keyed balanced
 * shuffle of SEQUENCE_PERIOD/2 signs b. Pairs make every stretch of two held signs balanced, so
 * the detector's signed sum cancels static content already after 2 · SIGN_HOLD frames (a clip of
 * two seconds holds three such stretches); without them a short clip can happen to start with
 * several signs alike. Of the shuffles, the first is taken whose periodic autocorrelation is at
 * most 8 in magnitude at every lag but 0 and ±1 (lag ±1 is negative by construction), so that a
 * wrong sequence offset correlates little with the right one.
 */
export function frameSigns(key: string): Int8Array {
  const next = keyedUint32(key, 'signs');
  const n = SEQUENCE_PERIOD;
  const half = n / 2;
  for (;;) {
    const bits = Int8Array.from({ length: half }, (_, i) => (i < half / 2 ? 1 : -1));
    for (let i = half - 1; i > 0; i--) {
      const j = next() % (i + 1);
      const t = bits[i]!;
      bits[i] = bits[j]!;
      bits[j] = t;
    }
    const signs = Int8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1) * bits[i >> 1]!);
    let worst = 0;
    for (let lag = 2; lag < n - 1; lag++) {
      let r = 0;
      for (let i = 0; i < n; i++) r += signs[i]! * signs[(i + lag) % n]!;
      worst = Math.max(worst, Math.abs(r));
    }
    if (worst <= 8) return signs;
  }
}

/**
 * Sign of frame `index` (0-based position in the rendered stream): each sign of the sequence is
 * held for SIGN_HOLD frames, so the pattern repeats every SEQUENCE_PERIOD · SIGN_HOLD frames.
 */
export function frameSign(signs: Int8Array, index: number): number {
  const n = signs.length;
  const k = Math.floor(index / SIGN_HOLD);
  return signs[((k % n) + n) % n]!;
}

/**
 * Pixel values (row-major, one per pixel) of the pattern with half-band coefficients
 * (re, im) at a width×height frame, RMS-normalised to `amplitude` over a whole tile. The tile
 * period is min(width, height)/TILES_PER_FRAME frame pixels; pixel centres map to canonical
 * coordinates as (x + ½)·TILE/period − ½, the same convention the detector resamples with.
 */
export function patternPixels(
  re: Float64Array,
  im: Float64Array,
  width: number,
  height: number,
  amplitude: number,
  b: Band = band(),
): Float64Array {
  const period = Math.min(width, height) / TILES_PER_FRAME;
  const scale = TILE / period;
  let power = 0;
  for (let h = 0; h < b.size; h++) power += 2 * (re[h]! ** 2 + im[h]! ** 2);
  const gain = amplitude / Math.sqrt(power);
  // Separable evaluation: e^{2πi(u·x + v·y)/TILE} = X_u(x)·Y_v(y).
  const out = new Float64Array(width * height);
  const xr = new Float64Array(width);
  const xi = new Float64Array(width);
  for (let h = 0; h < b.size; h++) {
    const u = b.u[h]!;
    const v = b.v[h]!;
    const cr = 2 * gain * re[h]!;
    const ci = 2 * gain * im[h]!;
    for (let x = 0; x < width; x++) {
      const a = (2 * Math.PI * u * ((x + 0.5) * scale - 0.5)) / TILE;
      // (c · X_u): real and imaginary parts, to be multiplied by Y_v below
      xr[x] = cr * Math.cos(a) - ci * Math.sin(a);
      xi[x] = cr * Math.sin(a) + ci * Math.cos(a);
    }
    for (let y = 0; y < height; y++) {
      const a = (2 * Math.PI * v * ((y + 0.5) * scale - 0.5)) / TILE;
      const yr = Math.cos(a);
      const yi = Math.sin(a);
      const row = y * width;
      for (let x = 0; x < width; x++) out[row + x] = out[row + x]! + xr[x]! * yr - xi[x]! * yi;
    }
  }
  return out;
}
