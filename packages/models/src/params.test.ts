import { describe, expect, it } from 'vitest';
import { presetConfig } from './config/presets';
import { costTable, forwardFlops } from './cost';
import { LsrModel } from './model';

describe('lsr-224 parameter counts', () => {
  it('equal the checksum of docs/design.md#parameter-counts for every network', () => {
    const m = new LsrModel(presetConfig('lsr-224'));
    expect(m.styleEncoder.numParams()).toBe(14_334_080);
    expect(m.layoutEncoder.numParams()).toBe(14_334_080);
    expect(m.layoutGenerator.numParams()).toBe(20_246_698);
    expect(m.imageGenerator.numParams()).toBe(30_144_483);
    expect(m.discriminator!.numParams()).toBe(19_044_481);
  });

  it('match the sizes of the supplement variants (20.10 M encoder, 30.17 M G^I with landmarks)', () => {
    const m = new LsrModel(presetConfig('lsr-224-supp'));
    expect(m.styleEncoder.numParams()).toBe(14_334_080 - 4608 * 512 + 25088 * 512 - 4_719_616);
    expect(Math.round(m.styleEncoder.numParams() / 1e4) / 100).toBe(20.1);
    expect(Math.round(m.imageGenerator.numParams() / 1e4) / 100).toBe(30.17);
  });
});

describe('forward FLOPs', () => {
  it('agree with the independent PyTorch port of lsr-224 (platform notes: 4.5, 33.9, 54.0, 14.5 GFLOP)', () => {
    // The notes round to 0.1 GFLOP and may count the blur-pool convolutions (+0.06 GFLOP in G^l),
    // which the table here leaves out: agreement within 0.5 % is the meaningful check.
    const f = forwardFlops(presetConfig('lsr-224'));
    const rel = (a: number, b: number) => Math.abs(a - b) / b;
    expect(rel(f.encoder / 1e9, 4.5)).toBeLessThan(0.015);
    expect(rel(f.layoutGenerator / 1e9, 33.9)).toBeLessThan(0.005);
    expect(rel(f.imageGenerator / 1e9, 54.0)).toBeLessThan(0.005);
    expect(rel(f.discriminator / 1e9, 14.5)).toBeLessThan(0.005);
  });

  it('cost table has a row per network and preset, smaller presets cheaper', () => {
    const rows = costTable(['lsr-224', 'lsr-64']);
    expect(rows).toHaveLength(10);
    const g224 = rows.find((r) => r.preset === 'lsr-224' && r.network === 'G^I')!;
    const g64 = rows.find((r) => r.preset === 'lsr-64' && r.network === 'G^I')!;
    expect(g64.params).toBeLessThan(g224.params / 10);
    expect(g64.gflops).toBeLessThan(g224.gflops / 100);
  });
});
