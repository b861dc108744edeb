import type { StoredFrame } from '@th/data';
import { describe, expect, it } from 'vitest';
import { copyFirstFrame, sourceMeanFrame } from './baseline-frames';

const SIZE = 3;
/** A stored frame whose every pixel is `rgb` (only id and rgb matter to the baselines). */
const solid = (id: string, rgb: [number, number, number]): StoredFrame =>
  ({
    id,
    rgb: Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) => rgb[i % 3]!),
  }) as StoredFrame;

describe('baseline frames (closed forms)', () => {
  const shots = [
    solid('00000', [10, 0, 255]),
    solid('00008', [20, 1, 254]),
    solid('00016', [31, 2, 0]),
  ];

  it('copy-first is the first shot, byte for byte, in a copy', () => {
    const out = copyFirstFrame(shots, SIZE);
    expect(out.width).toBe(SIZE);
    expect(Buffer.from(out.data).equals(Buffer.from(shots[0]!.rgb))).toBe(true);
    out.data[0] = 99;
    expect(shots[0]!.rgb[0]).toBe(10);
  });

  it('source-mean is the per-channel mean, rounded once (halves up)', () => {
    // (10+20+31)/3 = 20.33 → 20; (0+1+2)/3 = 1; (255+254+0)/3 = 169.67 → 170.
    expect([...sourceMeanFrame(shots, SIZE).data.subarray(0, 3)]).toEqual([20, 1, 170]);
    // Two shots: (10+20)/2 = 15, (0+1)/2 = 0.5 → 1, (255+254)/2 = 254.5 → 255.
    expect([...sourceMeanFrame(shots.slice(0, 2), SIZE).data.subarray(0, 3)]).toEqual([15, 1, 255]);
    // Rounded once: 32 shots alternating 0 and 1 average 0.5 → 1 everywhere (rounding each
    // running mean would drift).
    const many = Array.from({ length: 32 }, (_, i) => solid(String(i), [i % 2, 1, 2]));
    const mean = sourceMeanFrame(many, SIZE);
    expect(mean.data.every((v, i) => v === [1, 1, 2][i % 3])).toBe(true);
    // K = 1: the shot itself.
    const one = sourceMeanFrame(shots.slice(2), SIZE);
    expect(Buffer.from(one.data).equals(Buffer.from(shots[2]!.rgb))).toBe(true);
  });

  it('names a shot of the wrong size, and refuses no shots', () => {
    expect(() =>
      sourceMeanFrame([...shots, { id: 'x', rgb: new Uint8Array(3) } as StoredFrame], SIZE),
    ).toThrow(/source frame x: 3 bytes, expected 3×3×3/);
    expect(() => copyFirstFrame([], SIZE)).toThrow(/at least one source shot/);
  });
});
