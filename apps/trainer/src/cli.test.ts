import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTrainConfig } from '@th/train';
import { describe, expect, it, vi } from 'vitest';
import { main } from './cli';
import { parseCliArgs } from './cli-args';
import { parseTrainConfig } from './config-schema';
import { resolveConfig } from './resolve-config';

/** What `fn` wrote on stderr, and its exit code. */
async function stderrOf(fn: () => Promise<number>): Promise<{ code: number; text: string }> {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    text += String(s);
    return true;
  });
  try {
    return { code: await fn(), text };
  } finally {
    spy.mockRestore();
  }
}

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
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(/unknown option --frobnicate/);
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
    // --precision: f32 by default; mixed, with the loss scale settable; anything else names it.
    expect(resolveConfig(parseCliArgs([])).precision).toBe('f32');
    const mixed = resolveConfig(
      parseCliArgs(['--precision', 'mixed', '--set', 'lossScale.initial=256']),
    );
    expect(mixed).toMatchObject({
      precision: 'mixed',
      lossScale: { initial: 256, growthInterval: 2000 },
    });
    expect(() => resolveConfig(parseCliArgs(['--precision', 'f16']))).toThrow(/precision/);
    expect(() => parseTrainConfig({ lossScale: { initial: 1000 } })).toThrow(/power of two/);
    // Captured steps: off unless asked for; a non-boolean names the field.
    expect(resolveConfig(parseCliArgs([])).captureSteps).toBe(false);
    expect(resolveConfig(parseCliArgs(['--set', 'captureSteps=true'])).captureSteps).toBe(true);
    expect(() => parseTrainConfig({ captureSteps: 'yes' })).toThrow(/captureSteps/);
  });

  it('--dry-run prints the resolved config; --help prints usage', async () => {
    let out = '';
    const args = ['--dry-run', '--stage', '2', '--k', '3', '--data', 'ds'];
    expect(await main(args, (s) => (out += s))).toBe(0);
    const printed = JSON.parse(out);
    expect(printed).toMatchObject({ preset: 'lsr-64', stage: 2, k: 3, backend: 'auto' });
    expect(printed.data.path).toBe('ds');
    out = '';
    expect(await main(['--help'], (s) => (out += s))).toBe(0);
    expect(out).toMatch(/--finetune/);
    expect(await main(['--set', 'steps=-4', '--data', 'ds'], () => {})).toBe(2);
  });

  it('nothing in the defaults points into a repository: without --data it says what to pass', async () => {
    expect(defaultTrainConfig().data.path).toBeNull();
    const err = await stderrOf(() => main(['--dry-run'], () => {}));
    expect(err.code).toBe(2);
    expect(err.text).toBe(
      'th-train: no training data: pass --data DATASET (a dataset made by th-data prepare, or a folder of clips or frames)\n(th-train --help lists the options)\n',
    );
  });

  it('--resume RUN continues with the config the run recorded, not the defaults', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'th-train-cli-'));
    const recorded = {
      ...defaultTrainConfig(),
      stage: 2,
      batch: 2,
      seed: 5,
      data: { ...defaultTrainConfig().data, path: 'prepared' },
    };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...recorded, history: [] }));
    let out = '';
    expect(await main(['--resume', dir, '--dry-run'], (s) => (out += s))).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ stage: 2, batch: 2, seed: 5, resume: dir });
    expect(JSON.parse(out).data.path).toBe('prepared');
    out = '';
    expect(await main(['--resume', dir, '--steps', '500', '--dry-run'], (s) => (out += s))).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ stage: 2, batch: 2, steps: 500 });
    const refused = await stderrOf(() =>
      main(['--resume', dir, '--batch', '4', '--seed', '1', '--dry-run'], () => {}),
    );
    expect(refused.code).toBe(2);
    expect(refused.text).toMatch(
      /the run was recorded with other values of fields that cannot change mid-run:\n {2}seed: run has 5, given 1\n {2}batch: run has 2, given 4\n/,
    );
  });
});
