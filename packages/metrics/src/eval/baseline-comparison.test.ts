import { describe, expect, it } from 'vitest';
import { compareWithBaselines, scoredOn } from './baseline-comparison';
import type { SettingDetails } from './evaluate-outputs.node-only';

/** Only the fields the comparison reads; the rest of SettingDetails is irrelevant here. */
const detail = (
  k: number,
  setting: SettingDetails['setting'],
  perIdentity: [string, number, number][],
): SettingDetails => {
  const n = perIdentity.length * 2;
  return {
    k,
    setting,
    pairs: n,
    // The per-setting mean is the mean over pairs: equal pair counts, so the mean of identities.
    psnr: perIdentity.reduce((s, [, p]) => s + p, 0) / perIdentity.length,
    ssim: perIdentity.reduce((s, [, , q]) => s + q, 0) / perIdentity.length,
    perIdentity: perIdentity.map(([identity, psnr, ssim]) => ({ identity, pairs: 2, psnr, ssim })),
  } as unknown as SettingDetails;
};

describe('compareWithBaselines', () => {
  // Identity a: the model beats both; identity b: source-mean wins on SSIM.
  const details = [
    detail(1, 'meta', [
      ['a', 24, 0.8],
      ['b', 22, 0.6],
    ]),
    detail(1, 'copy-first', [
      ['a', 19, 0.5],
      ['b', 18, 0.5],
    ]),
    detail(1, 'source-mean', [
      ['a', 21, 0.7],
      ['b', 21, 0.65],
    ]),
  ];

  it('judges every model row over all identities and per identity', () => {
    const rows = compareWithBaselines(details);
    expect(rows.map((r) => [r.identity, r.beatsBaselines])).toEqual([
      [null, true],
      ['a', true],
      ['b', false],
    ]);
    // All identities: model (23, 0.7) vs source-mean (21, 0.675) and copy-first (18.5, 0.5).
    expect(rows[0]!.psnr).toBe(23);
    expect(rows[0]!.baselines['source-mean']).toEqual({ psnr: 21, ssim: 0.675 });
  });

  it('is empty without baselines, and n/a where a baseline lacks the identity', () => {
    expect(compareWithBaselines([details[0]!])).toEqual([]);
    const partial = [details[0]!, details[1]!, detail(1, 'source-mean', [['a', 21, 0.7]])];
    expect(compareWithBaselines(partial).map((r) => r.beatsBaselines)).toEqual([null, true, null]);
  });

  it('names the pairs by identity and count', () => {
    expect(scoredOn(['b', 'a', 'b'])).toBe('a×1,b×2');
  });
});
