import { describe, expect, it } from 'vitest';
import { argBlock, f32Bits } from './kernel-runtime';

describe('argBlock: a kernel argument block from named values', () => {
  const LAYOUT = { x: 2, scale: 0, count: 1, size: 4 } as const;

  it('puts every value in its slot and leaves the spare slots zero', () => {
    const block = argBlock(LAYOUT, { x: 4096, scale: f32Bits(0.5), count: 7 });
    expect(block).toEqual([f32Bits(0.5), 7, 4096, 0]);
    // The float travels as its bits: reading the slot back as an f32 gives 0.5 again.
    expect(new Float32Array(new Int32Array([block[0]!]).buffer)[0]).toBe(0.5);
  });

  it('names the slot of a missing or non-integer value', () => {
    const missing = { x: 1, scale: 0 } as unknown as { x: number; scale: number; count: number };
    expect(() => argBlock(LAYOUT, missing)).toThrow(/count is undefined/);
    expect(() => argBlock(LAYOUT, { x: 1.5, scale: 0, count: 1 })).toThrow(/x is 1\.5/);
  });
});
