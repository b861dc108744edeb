import { describe, expect, it } from 'vitest';
import { frameSign, frameSigns } from '../scheme/patterns';
import { syntheticPayload } from '../scheme/payload';
import { AMPLITUDE, DEFAULT_KEY, SEQUENCE_PERIOD, SIGN_HOLD } from '../scheme/scheme';
import { smoothFrames } from '../testing/smooth-frames';
import { createWatermarker } from './watermarker';

function psnr(a: ArrayLike<number>, b: ArrayLike<number>, channels = 3): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (channels === 4 && i % 4 === 3) continue;
    se += (a[i]! - b[i]!) ** 2;
    n++;
  }
  return 10 * Math.log10((255 * 255) / (se / n));
}

const wm = createWatermarker({ payload: syntheticPayload('c0ffee') });

describe('createWatermarker', () => {
  it('keeps PSNR ≥ 40 dB on content, flat grey, and near-saturated frames', () => {
    const [content] = smoothFrames(1);
    const flat = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) };
    const bright = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(254) };
    const odd = { width: 50, height: 38, data: new Uint8Array(50 * 38 * 3).fill(90) };
    for (const image of [content!, flat, odd]) {
      const db = psnr(image.data, wm.mark(image, 0).data);
      expect(db).toBeGreaterThanOrEqual(40);
      expect(db).toBeLessThan(41); // not silently weaker than designed
    }
    // clipping at 255 removes part of the pattern, so PSNR rises there
    expect(psnr(bright.data, wm.mark(bright, 0).data)).toBeGreaterThan(40.5);
  });
  it('adds the same pattern to R, G and B, with RMS = AMPLITUDE (±rounding) on flat grey', () => {
    const flat = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) };
    const m = wm.mark(flat, 0).data;
    let sq = 0;
    for (let p = 0; p < 64 * 64; p++) {
      expect(m[p * 3]).toBe(m[p * 3 + 1]);
      expect(m[p * 3]).toBe(m[p * 3 + 2]);
      sq += (m[p * 3]! - 128) ** 2;
    }
    expect(Math.abs(Math.sqrt(sq / 4096) - Math.sqrt(AMPLITUDE ** 2 + 1 / 12))).toBeLessThan(0.05);
  });
  it('flips the pattern with the keyed frame sign held for SIGN_HOLD frames, is deterministic, keeps alpha', () => {
    const signs = frameSigns(DEFAULT_KEY);
    expect(signs.reduce((s, v) => s + v, 0)).toBe(0); // balanced
    const cycle = SEQUENCE_PERIOD * SIGN_HOLD;
    const plus = [...Array(cycle).keys()].find((t) => frameSign(signs, t) === 1)!;
    const minus = [...Array(cycle).keys()].find((t) => frameSign(signs, t) === -1)!;
    expect(plus % SIGN_HOLD).toBe(0); // signs change only at multiples of SIGN_HOLD
    expect(minus % SIGN_HOLD).toBe(0);
    const flat = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(100) };
    const a = wm.mark(flat, plus).data;
    const b = wm.mark(flat, minus).data;
    let opposite = 0;
    for (let p = 0; p < 64 * 64; p++) {
      expect(a[p * 4 + 3]).toBe(100);
      if (Math.abs(a[p * 4]! - 100 + (b[p * 4]! - 100)) <= 1) opposite++;
    }
    expect(opposite).toBe(64 * 64); // b − 100 = −(a − 100) up to rounding
    expect(wm.mark(flat, plus + SIGN_HOLD - 1).data).toEqual(a); // held
    expect(wm.mark(flat, plus + cycle).data).toEqual(a); // period
    expect(a).toBeInstanceOf(Uint8ClampedArray);
  });
  it('frame signs come in balanced pairs, with periodic autocorrelation ≤ 8 beyond lag 1', () => {
    for (const key of [DEFAULT_KEY, 'a', 'b', 'c']) {
      const s = frameSigns(key);
      expect(s.length).toBe(SEQUENCE_PERIOD);
      for (let i = 0; i < s.length; i += 2) expect(s[i]! + s[i + 1]!).toBe(0);
      for (let lag = 2; lag < s.length - 1; lag++) {
        let r = 0;
        for (let i = 0; i < s.length; i++) r += s[i]! * s[(i + lag) % s.length]!;
        expect(Math.abs(r)).toBeLessThanOrEqual(8);
      }
    }
  });
  it('rejects bad input with a clear message', () => {
    expect(() => wm.mark({ width: 4, height: 4, data: new Uint8Array(10) }, 0)).toThrow(
      /4x4 image has 10 bytes/,
    );
    expect(() => wm.mark({ width: 4, height: 4, data: new Uint8Array(48) }, -1)).toThrow(
      /frame index/,
    );
  });
});
