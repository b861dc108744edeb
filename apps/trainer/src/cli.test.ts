import { describe, expect, it } from 'vitest';
import { main } from './cli';
import { parseCliArgs } from './cli-args';
import { parseTrainConfig } from './config-schema';
import { resolveConfig } from './resolve-config';

describe('th-train configuration', () => {
  it('schema errors name the field and the bad value', () => {
    expect(() => parseTrainConfig({ batch: 0 })).toThrow(/batch: .*got 0/);
    expect(() => parseTrainConfig({ losses: { stage2: { l1: -1 } } })).toThrow(
      /losses\.stage2\.l1: .*got -1/,
    );
    expect(() => parseTrainConfig({ stage: 3 })).toThrow(/stage: .*got 3/);
    expect(() => parseTrainConfig({ bogus: 1 })).toThrow(/Unrecognized key.*bogus/);
  });

  it('preset < config file < flags and --set', () => {
    const file = JSON.stringify({ batch: 8, k: 2, losses: { stage2: { l1: 3 } } });
    const args = parseCliArgs([
      '--config',
      'c.json',
      '--batch',
      '2',
      '--set',
      'losses.stage2.vgg19=0.5',
      '--examples',
      '9',
    ]);
    const c = resolveConfig(args, () => file);
    expect([
      c.batch,
      c.k,
      c.losses.stage2.l1,
      c.losses.stage2.vgg19,
      c.losses.stage2.r1Gamma,
    ]).toEqual([2, 2, 3, 0.5, 10]);
    expect(c.steps).toBe(5); // ceil(9 / 2)
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(/unknown argument "--frobnicate"/);
    expect(() => parseCliArgs(['--steps'])).toThrow(/--steps needs a value/);
    expect(parseCliArgs(['--resume']).overrides).toEqual([['resume', 'latest']]);
    // --vgg-face takes a path verbatim (never JSON-parsed); the default is off.
    expect(resolveConfig(parseCliArgs(['--vgg-face', '12'])).vggFace).toBe('12');
    expect(resolveConfig(parseCliArgs([])).vggFace).toBe('off');
    expect(() => parseTrainConfig({ vggFace: '' })).toThrow(/vggFace/);
  });

  it('--dry-run prints the resolved config; --help prints usage', async () => {
    let out = '';
    expect(await main(['--dry-run', '--stage', '2', '--k', '3'], (s) => (out += s))).toBe(0);
    const printed = JSON.parse(out);
    expect(printed).toMatchObject({ preset: 'lsr-64', stage: 2, k: 3, backend: 'auto' });
    expect(printed.data.train).toBe('fixtures/voxceleb2/frames/train');
    out = '';
    expect(await main(['--help'], (s) => (out += s))).toBe(0);
    expect(out).toMatch(/--finetune/);
    expect(await main(['--set', 'steps=-4'], () => {})).toBe(2);
  });
});
