import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { psnr } from './psnr';
import { ssim } from './ssim';
import { degrade } from './testing/degrade';
import { FRAMES_DIR, readRgbPng } from './testing/read-png';

interface GoldenPair {
  description: string;
  a: { file: string; degrade: string };
  b: { file: string; degrade: string };
  psnr: number;
  ssim_skimage: number;
  ssim_skimage_float32: number;
  ssim_wang2004: number;
}

const golden = JSON.parse(
  readFileSync(new URL('./__fixtures__/golden-psnr-ssim.json', import.meta.url), 'utf8'),
) as { versions: Record<string, string>; pairs: GoldenPair[] };

const load = (side: GoldenPair['a']) =>
  degrade(readRgbPng(join(FRAMES_DIR, side.file)), side.degrade);

describe(`PSNR/SSIM against skimage ${golden.versions.skimage} on VoxCeleb2 frames`, () => {
  it('has a varied set of pairs', () => {
    expect(golden.pairs.length).toBeGreaterThanOrEqual(6);
  });

  for (const pair of golden.pairs) {
    const title = `${pair.description}: ${pair.a.file} (${pair.a.degrade}) vs ${pair.b.file} (${pair.b.degrade})`;
    it(title, () => {
      const a = load(pair.a);
      const b = load(pair.b);
      // Required agreement is 1e-4; both sides compute in float64, so measured differences are
      // ~1e-14 and a 1e-9 bound would still catch any definitional slip.
      expect(Math.abs(psnr(a, b) - pair.psnr)).toBeLessThan(1e-9);
      const skimageSsim = ssim(a, b);
      expect(Math.abs(skimageSsim - pair.ssim_skimage)).toBeLessThan(1e-9);
      // LSR's own float32 call differs from float64 only by float32 rounding (measured ≤ 1.4e-7).
      expect(Math.abs(skimageSsim - pair.ssim_skimage_float32)).toBeLessThan(1e-4);
      expect(Math.abs(ssim(a, b, { window: 'wang2004' }) - pair.ssim_wang2004)).toBeLessThan(1e-9);
    });
  }
});
