import { resizeArea as dataResizeArea } from '@th/data';
import { describe, expect, it } from 'vitest';
import { resizeArea } from './area-resize';
import { cropSquare, mapLandmarks, squareFit } from './fit-square';

const image = (w: number, h: number, f: (x: number, y: number, c: number) => number) => {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = f(x, y, c);
  return { width: w, height: h, data };
};

describe('resizeArea', () => {
  it("is @th/data's area resize (one implementation; tested there)", () => {
    expect(resizeArea).toBe(dataResizeArea);
  });
});

describe('square fit', () => {
  it('crops the centre of a wide frame and maps landmarks with it', () => {
    const fit = squareFit(300, 200, 100);
    expect(fit).toEqual({ offsetX: 50, offsetY: 0, side: 200, size: 100 });
    const cropped = cropSquare(
      image(300, 200, (x) => x % 256),
      fit,
    );
    expect(cropped.data[0]).toBe(50);
    // The centre of the 2x2 block of original pixels (50..51, 0..1) is model pixel (0, 0).
    const [p] = mapLandmarks([[50.5, 0.5]], fit);
    expect(p![0]).toBeCloseTo(0, 12);
    expect(p![1]).toBeCloseTo(0, 12);
  });
});
