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
    // The preset list is @th/models' PRESET_NAMES.
    expect(() => parseTrainConfig({ preset: 'lsr-512' })).toThrow(
      /preset: .*'lsr-224' \| 'lsr-224-supp' \| 'lsr-128' \| 'lsr-64'.*got "lsr-512"/,
    );
    expect(() => parseTrainConfig({ data: { rank: 2, worldSize: 2 } })).toThrow(
      /data\.rank: data\.rank must be smaller than data\.worldSize/,
    );
    expect(() => parseTrainConfig({ data: { landmarks: 'fan' } })).toThrow(/data\.landmarks/);
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
    const data = resolveConfig(
      parseCliArgs([
        '--data',
        'ds',
        '--rank',
        '1',
        '--world-size',
        '4',
        '--loader-workers',
        '0',
        '--no-holdout',
      ]),
    ).data;
    expect(data).toMatchObject({ path: 'ds', rank: 1, worldSize: 4, workers: 0, holdout: false });
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
    expect(printed.data.path).toBe('fixtures/voxceleb2/frames');
    out = '';
    expect(await main(['--help'], (s) => (out += s))).toBe(0);
    expect(out).toMatch(/--finetune/);
    expect(await main(['--set', 'steps=-4'], () => {})).toBe(2);
  });
});
