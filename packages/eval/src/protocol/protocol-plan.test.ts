import { describe, expect, it } from 'vitest';
import { parseKList, parseSettings } from './protocol-plan';

describe('protocol flags', () => {
  it('parses K lists and settings, with ft as an alias of finetuned', () => {
    expect(parseKList('1, 4,32')).toEqual([1, 4, 32]);
    expect(parseSettings('ft,meta')).toEqual(['finetuned', 'meta']);
  });

  it('names the bad value', () => {
    expect(() => parseKList('1,0')).toThrow(/--k: expected positive integers.*"1,0"/);
    expect(() => parseKList('4,4')).toThrow(/repeated K/);
    expect(() => parseSettings('meta,best')).toThrow(/"best" is not one of meta, finetuned/);
    expect(() => parseSettings('meta,meta')).toThrow(/given twice/);
  });
});
