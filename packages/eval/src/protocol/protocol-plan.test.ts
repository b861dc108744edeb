import { describe, expect, it } from 'vitest';
import { parseKList, parseSettings, planSettings } from './protocol-plan';

describe('protocol flags', () => {
  it('parses K lists and settings, with ft as an alias of finetuned', () => {
    expect(parseKList('1, 4,32')).toEqual([1, 4, 32]);
    expect(parseSettings('ft,meta')).toEqual(['finetuned', 'meta']);
    expect(parseSettings('meta,source-mean,copy-first')).toEqual([
      'meta',
      'source-mean',
      'copy-first',
    ]);
  });

  it('names the bad value', () => {
    expect(() => parseKList('1,0')).toThrow(/--k: expected positive integers.*"1,0"/);
    expect(() => parseKList('4,4')).toThrow(/repeated K/);
    expect(() => parseSettings('meta,best')).toThrow(
      /"best" is not one of meta, finetuned \(or ft\), copy-first, source-mean/,
    );
    expect(() => parseSettings('meta,meta')).toThrow(/given twice/);
  });

  it('plans --settings and --baselines with and without a checkpoint', () => {
    const plan = (settings: string | undefined, baselines: boolean, checkpoint: boolean) =>
      planSettings({ ...(settings ? { settings } : {}), baselines, checkpoint });
    expect(plan(undefined, false, true)).toEqual(['meta', 'finetuned']);
    expect(plan(undefined, true, true)).toEqual(['meta', 'finetuned', 'copy-first', 'source-mean']);
    expect(plan('meta,copy-first', true, true)).toEqual(['meta', 'copy-first', 'source-mean']);
    expect(plan(undefined, true, false)).toEqual(['copy-first', 'source-mean']);
    expect(plan('source-mean', false, false)).toEqual(['source-mean']);
    expect(() => plan('meta', true, false)).toThrow(
      /--settings meta needs --checkpoint FILE \(without one, only the baselines/,
    );
    expect(() => plan(undefined, false, false)).toThrow(
      /--data needs --checkpoint FILE \(render a model\) or --baselines/,
    );
  });
});
