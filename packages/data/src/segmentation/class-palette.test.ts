import { describe, expect, it } from 'vitest';
import { CLASS_PALETTE, colourClassMap } from './class-palette';

describe('class palette', () => {
  it('gives 19 distinct colours, background black, no two closer than 50 levels', () => {
    expect(CLASS_PALETTE).toHaveLength(19);
    expect(CLASS_PALETTE[0]).toEqual([0, 0, 0]);
    let closest = Infinity;
    for (let a = 0; a < CLASS_PALETTE.length; a++) {
      for (let b = a + 1; b < CLASS_PALETTE.length; b++) {
        const [x, y] = [CLASS_PALETTE[a]!, CLASS_PALETTE[b]!];
        closest = Math.min(closest, Math.max(...x.map((v, i) => Math.abs(v - y[i]!))));
      }
    }
    expect(closest).toBeGreaterThanOrEqual(50);
  });

  it('colours a class map pixel by pixel and wraps ids beyond the palette', () => {
    const image = colourClassMap([0, 1, 18, 19], 2, 2);
    expect(Array.from(image.data.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(image.data.subarray(3, 6))).toEqual([...CLASS_PALETTE[1]!]);
    expect(Array.from(image.data.subarray(6, 9))).toEqual([...CLASS_PALETTE[18]!]);
    expect(Array.from(image.data.subarray(9, 12))).toEqual([0, 0, 0]);
  });

  it('refuses a map of the wrong size or with a negative id', () => {
    expect(() => colourClassMap([0, 1, 2], 2, 2)).toThrow('3 ids for a 2x2 map');
    expect(() => colourClassMap([0, -1], 2, 1)).toThrow('pixel 1 has class id -1');
  });
});
