import { describe, expect, it } from 'vitest';
import { checkWeightTensors, MissingWeightsError, requireNetworkWeights } from './networks';

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
      /LPIPS needs AlexNet trunk \+ LPIPS v0\.1 linear-head .*safetensors.*convert-lpips\.py.*Pass --lpips-weights <path\/to\/weights\.safetensors>/,
    );
    expect(() => requireNetworkWeights('fid', { fidWeights: ' ' })).toThrow(
      /FID needs the FID Inception-v3 .*pool_3 2048-d.*convert-fid-inception\.py.*--fid-weights/,
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

describe('checkWeightTensors', () => {
  const expected = [
    { name: 'a.weight', shape: [2, 3, 1, 1] },
    { name: 'a.bias', shape: [2] },
  ];

  it('accepts the expected tensors and ignores extra ones', () => {
    const found = new Map([
      ['a.weight', { shape: [2, 3, 1, 1] }],
      ['a.bias', { shape: [2] }],
      ['fc.weight', { shape: [1008, 2048] }],
    ]);
    expect(() => checkWeightTensors('fid', 'w.safetensors', found, expected)).not.toThrow();
  });

  it('lists the missing tensors with their shapes, and names a misshapen one', () => {
    expect(() => checkWeightTensors('lpips', 'x.safetensors', new Map(), expected)).toThrow(
      /x\.safetensors: 2 of the 2 tensors LPIPS needs are missing: "a\.weight" \[2, 3, 1, 1\], "a\.bias" \[2\]\. Expected AlexNet/,
    );
    const found = new Map([
      ['a.weight', { shape: [2, 3, 1, 1] }],
      ['a.bias', { shape: [2, 1] }],
    ]);
    expect(() => checkWeightTensors('fid', 'y.safetensors', found, expected)).toThrow(
      /y\.safetensors: tensor "a\.bias" has shape \[2, 1\], FID expects \[2\]/,
    );
  });
});
