import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMES_DIR, readRgbPng } from '../testing/read-png';
import { bicubicKernel, pillowBicubicTaps, resizePilBicubic } from './pil-bicubic-resize';

const golden = JSON.parse(
  readFileSync(new URL('../__fixtures__/golden-pil-resize.json', import.meta.url), 'utf8'),
);
const frame = (key: string) => readRgbPng(join(FRAMES_DIR, 'test', golden.frames[key]));
const sha256 = (data: ArrayLike<number>) =>
  createHash('sha256').update(Uint8Array.from(data)).digest('hex');

describe(`resizePilBicubic against Pillow ${golden.versions.pillow} (checked by the NumPy port)`, () => {
  it('golden was checked against real Pillow', () => {
    expect(golden.checkedAgainstPillow).toBe(true);
  });

  it('224 → 299 (the FID resize) is byte-identical', () => {
    const up = resizePilBicubic(frame('a0'), 299, 299);
    expect(up.height).toBe(299);
    expect(sha256(up.data)).toBe(golden.up.sha256);
    for (const [index, value] of golden.up.samples as [number, number][])
      expect(up.data[index]).toBe(value);
  });

  it('224 → 64 (downsampling, antialiased kernel) is byte-identical', () => {
    expect(sha256(resizePilBicubic(frame('a0'), 64, 64).data)).toBe(golden.down.sha256);
  });

  it('non-square 37x53 → 20x71 (shrink rows, stretch columns) matches every value', () => {
    const f = frame('a0');
    const [r0, r1] = golden.crop.rows;
    const [c0, c1] = golden.crop.cols;
    const crop = new Uint8Array((r1 - r0) * (c1 - c0) * 3);
    for (let y = r0; y < r1; y++)
      crop.set(f.data.subarray((y * 224 + c0) * 3, (y * 224 + c1) * 3), (y - r0) * (c1 - c0) * 3);
    const out = resizePilBicubic(
      { data: crop, height: r1 - r0, width: c1 - c0, channels: 3 },
      20,
      71,
    );
    expect(Array.from(out.data)).toEqual(golden.crop.values);
  });
});

describe('resizePilBicubic closed forms', () => {
  it('Keys kernel: 1 at 0, 0 at integers, partition of unity', () => {
    expect(bicubicKernel(0)).toBe(1);
    for (const x of [1, 2, -1, -2, 2.5]) expect(Math.abs(bicubicKernel(x))).toBe(0);
    for (const u of [0.1, 0.37, 0.5, 0.9]) {
      const sum = [-1, 0, 1, 2].reduce((s, k) => s + bicubicKernel(u - k), 0);
      expect(sum).toBeCloseTo(1, 14);
    }
  });

  it('fixed-point taps sum to 2^22 within rounding', () => {
    const taps = pillowBicubicTaps(224, 299);
    for (let o = 0; o < 299; o++) {
      let s = 0;
      for (let t = 0; t < taps.count[o]!; t++) s += taps.weights[o * taps.size + t]!;
      expect(Math.abs(s - 2 ** 22)).toBeLessThanOrEqual(taps.size);
    }
  });

  it('a constant image stays constant, up or down', () => {
    for (const value of [0, 1, 77, 254, 255]) {
      const img = {
        data: new Uint8Array(13 * 17 * 3).fill(value),
        height: 13,
        width: 17,
        channels: 3,
      };
      for (const [h, w] of [
        [40, 9],
        [299, 299],
        [5, 31],
      ] as const)
        expect(new Set(resizePilBicubic(img, h, w).data)).toEqual(new Set([value]));
    }
  });

  it('a linear ramp stays linear away from the borders (cubic reproduces linear functions)', () => {
    const w = 60;
    const data = new Uint8Array(w);
    for (let x = 0; x < w; x++) data[x] = 10 + 4 * x;
    const out = resizePilBicubic({ data, height: 1, width: w, channels: 1 }, 1, 97).data;
    const scale = w / 97;
    for (let o = 4; o < 93; o++) {
      const exact = 10 + 4 * ((o + 0.5) * scale - 0.5); // sample position in pixel-centre units
      expect(Math.abs(out[o]! - exact)).toBeLessThanOrEqual(0.5 + 1e-3);
    }
  });

  it('rejects values that are not 8-bit and bad sizes', () => {
    const img = { data: new Float32Array([0.5, 1, 2]), height: 1, width: 1, channels: 3 };
    expect(() => resizePilBicubic(img, 2, 2)).toThrow(/8-bit pixel values.*0\.5 at index 0/);
    const ok = { data: new Uint8Array(3), height: 1, width: 1, channels: 3 };
    expect(() => resizePilBicubic(ok, 0, 2)).toThrow(/outHeight must be a positive integer/);
  });
});
