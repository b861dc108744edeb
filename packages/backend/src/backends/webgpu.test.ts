import { describe, expect, it } from 'vitest';
import { softwareAdapter } from './webgpu';

describe('softwareAdapter', () => {
  it('recognises Mesa lavapipe as Dawn reports it', () => {
    const lavapipe = {
      info: {
        vendor: 'mesa',
        architecture: 'software',
        device: 'llvmpipe-llvm-15-0-6-256-bits-',
        description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
        isFallbackAdapter: true,
      },
    };
    expect(softwareAdapter(lavapipe)).toMatch(/llvmpipe/);
  });

  it('recognises each signal alone (browsers may hide info fields)', () => {
    expect(softwareAdapter({ isFallbackAdapter: true })).toBe('fallback adapter');
    expect(softwareAdapter({ info: { isFallbackAdapter: true } })).toBe('fallback adapter');
    expect(softwareAdapter({ info: { architecture: 'software' } })).toBe('software');
    expect(softwareAdapter({ info: { description: 'SwiftShader Device (Subzero)' } })).toMatch(
      /SwiftShader/,
    );
    expect(
      softwareAdapter({ info: { description: 'Microsoft Basic Render Driver (WARP)' } }),
    ).not.toBeNull();
  });

  it('passes hardware adapters', () => {
    const h100 = {
      info: {
        vendor: 'nvidia',
        architecture: 'hopper',
        device: '',
        description: 'NVIDIA H100 80GB HBM3',
      },
      isFallbackAdapter: false,
    };
    expect(softwareAdapter(h100)).toBeNull();
    expect(softwareAdapter({})).toBeNull();
    expect(softwareAdapter({ info: {} })).toBeNull();
  });
});
