import { describe, expect, it } from 'vitest';
import { GEMM_TILES, type GemmProblem, planGemm, tileThreads } from './gemm-tiles';

/** Every K index is walked by exactly one split, and no split starts past K. */
function expectCoversK(p: GemmProblem) {
  const plan = planGemm(p);
  const perSplit = plan.tilesPerSplit * plan.tile.bk;
  expect(plan.splits * perSplit).toBeGreaterThanOrEqual(p.k);
  expect((plan.splits - 1) * perSplit).toBeLessThan(p.k);
  return plan;
}

describe('planGemm', () => {
  it('every tile is a valid instance of the kernel generator', () => {
    for (const t of GEMM_TILES) {
      expect(t.tm % 4, `tm of ${t.bm}x${t.bn}`).toBe(0);
      expect(t.tn % 4).toBe(0);
      expect(t.bm % t.tm).toBe(0);
      expect(t.bn % t.tn).toBe(0);
      expect(t.bk % 4).toBe(0);
      expect(tileThreads(t)).toBeLessThanOrEqual(256);
      // Two staged slabs of A and B fit WebGPU's default 16 KiB of workgroup memory.
      expect(2 * t.bk * (t.bm + t.bn) * 4).toBeLessThanOrEqual(16384);
    }
  });

  it("splits the weight gradient's long reduction (LSR 224x224, 32 channels, batch 4)", () => {
    const plan = expectCoversK({ m: 9 * 32, n: 32, k: 4 * 224 * 224, batch: 1 });
    expect(plan.splits).toBeGreaterThanOrEqual(16);
  });

  it('does not split a forward conv that fills the GPU, and uses a large tile for it', () => {
    // The encoder sees batch x K = 16 images: 16 x 56 x 56 pixels, 128 channels.
    const plan = expectCoversK({ m: 16 * 56 * 56, n: 128, k: 9 * 128, batch: 1 });
    expect(plan.splits).toBe(1);
    expect(plan.tile.bm * plan.tile.bn).toBeGreaterThanOrEqual(128 * 64);
  });

  it('pads thin problems little: 3 output channels get a thin tile', () => {
    const plan = expectCoversK({ m: 4 * 224 * 224, n: 3, k: 9 * 32, batch: 1 });
    expect(plan.tile.bn).toBe(4);
  });

  it('splits K when the output has few tiles (7x7 maps, 512 channels)', () => {
    const plan = expectCoversK({ m: 4 * 7 * 7, n: 512, k: 9 * 512, batch: 1 });
    expect(plan.splits).toBeGreaterThan(1);
  });

  it('covers K exactly for awkward sizes', () => {
    for (const k of [1, 7, 8, 255, 256, 257, 1000, 4097, 123457]) {
      expectCoversK({ m: 33, n: 17, k, batch: 3 });
    }
  });
});
