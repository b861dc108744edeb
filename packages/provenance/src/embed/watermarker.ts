/**
 * Embedding scheme th-wm/1. Frame t of a stream gets
 *
 *   x'_t = round(x_t + s_t · (S + D_p)),   added to R, G and B alike (so luma moves by the same),
 *
 * where S is the keyed sync pattern, D_p the keyed pattern of payload value p (on disjoint sets of
 * frequencies; together RMS AMPLITUDE), and s_t = ±1 the keyed frame sign. The flipping sign is what lets the detector cancel
 * a video's static content by summing frames with their signs; a still image is one frame. Each
 * frame is checked: if rounding and clipping left PSNR under MIN_PSNR_DB the pattern is scaled down.
 */
import { channelsOf, type ImageBytes } from '../image';
import { band } from '../scheme/band';
import { binSplit } from '../scheme/bin-split';
import {
  frameSign,
  frameSigns,
  patternPixels,
  payloadPhases,
  syncPhases,
} from '../scheme/patterns';
import { encodePayload, type WatermarkPayload } from '../scheme/payload';
import { AMPLITUDE, DEFAULT_KEY, MIN_PSNR_DB, SCHEME_ID } from '../scheme/scheme';

export interface WatermarkerOptions {
  payload: WatermarkPayload;
  /** Default: the public key (anyone can detect). */
  key?: string;
  /** Pattern RMS in 8-bit levels (default AMPLITUDE); lower is weaker and less robust. */
  amplitude?: number;
}

export interface Watermarker {
  readonly scheme: string;
  readonly payload: WatermarkPayload;
  /** A marked copy of `image` (RGB or RGBA; alpha is kept) as frame `frameIndex` of a stream. */
  mark<T extends ImageBytes>(image: T, frameIndex: number): T;
}

export function createWatermarker(options: WatermarkerOptions): Watermarker {
  const key = options.key ?? DEFAULT_KEY;
  const amplitude = options.amplitude ?? AMPLITUDE;
  if (!(amplitude > 0 && amplitude < 64))
    throw new Error(`watermark amplitude must be in (0, 64), got ${amplitude}`);
  const value = encodePayload(options.payload);
  const b = band();
  // Unit-magnitude coefficients: sync phases on the sync bins, payload phases on the payload bins.
  const split = binSplit(key);
  const re = new Float64Array(b.size);
  const im = new Float64Array(b.size);
  const place = (bins: Int32Array, phases: Float64Array) =>
    bins.forEach((h, i) => {
      re[h] = Math.cos(phases[i]!);
      im[h] = Math.sin(phases[i]!);
    });
  place(split.sync, syncPhases(key, split.sync.length));
  place(split.payload, payloadPhases(key, value, split.payload.length));
  const signs = frameSigns(key);
  const patterns = new Map<string, Float64Array>();
  const patternFor = (width: number, height: number) => {
    const id = `${width}x${height}`;
    let p = patterns.get(id);
    if (!p) {
      p = patternPixels(re, im, width, height, amplitude, b);
      patterns.set(id, p);
    }
    return p;
  };
  // The largest mean squared error per channel allowed by MIN_PSNR_DB.
  const maxMse = 255 ** 2 / 10 ** (MIN_PSNR_DB / 10);

  return {
    scheme: SCHEME_ID,
    payload: { ...options.payload },
    mark(image, frameIndex) {
      const channels = channelsOf(image, 'watermark');
      if (!Number.isInteger(frameIndex) || frameIndex < 0)
        throw new Error(`watermark: frame index must be a non-negative integer, got ${frameIndex}`);
      const pattern = patternFor(image.width, image.height);
      const src = image.data;
      const out = new (src.constructor as Uint8ArrayConstructor)(src.length);
      let gain = frameSign(signs, frameIndex);
      // Scaling down always converges: at |d| < ½ rounding gives back the input exactly.
      for (;;) {
        let squared = 0;
        for (let p = 0, i = 0; p < pattern.length; p++, i += channels) {
          const d = gain * pattern[p]!;
          for (let c = 0; c < 3; c++) {
            const v = Math.min(255, Math.max(0, Math.round(src[i + c]! + d)));
            out[i + c] = v;
            squared += (v - src[i + c]!) ** 2;
          }
          if (channels === 4) out[i + 3] = src[i + 3]!;
        }
        const mse = squared / (pattern.length * 3);
        if (mse <= maxMse) break;
        gain *= Math.sqrt(maxMse / mse) * 0.97;
      }
      return { ...image, data: out };
    },
  };
}
