import { describe, expect, it } from 'vitest';
import { MissingWeightsError, requireNetworkWeights } from './networks';

describe('requireNetworkWeights', () => {
  it('returns the supplied location', () => {
    expect(requireNetworkWeights('lpips', { lpipsWeights: '/w/lpips/model.json' })).toBe(
      '/w/lpips/model.json',
    );
    expect(requireNetworkWeights('fid', { fidWeights: 'https://x/model.json' })).toBe(
      'https://x/model.json',
    );
  });

  it('names the missing file and the flag to pass', () => {
    expect(() => requireNetworkWeights('lpips', {})).toThrow(
      /LPIPS needs AlexNet trunk \+ LPIPS v0\.1 linear-head .*Pass --lpips-weights <path\/to\/model\.json>/,
    );
    expect(() => requireNetworkWeights('fid', { fidWeights: ' ' })).toThrow(
      /FID needs Inception-v3 pool_3 \(2048-d\).*--fid-weights/,
    );
    let caught: unknown;
    try {
      requireNetworkWeights('fid', { lpipsWeights: 'a' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingWeightsError);
    expect((caught as MissingWeightsError).metric).toBe('fid');
  });
});
