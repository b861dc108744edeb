/**
 * The visible label: "SYNTHETIC" in a 5×7 pixel font, white on a darkened box in a corner of the
 * frame, scaled by whole pixels with the frame (1× up to 127 px, 2× up to 191 px, ...). It is an
 * honest, human-readable signal next to the invisible one; cropping removes it, which is why the
 * watermark exists too.
 */
import { channelsOf, type ImageBytes } from '../image';

const GLYPHS: Record<string, string[]> = {
  S: ['.###.', '#...#', '#....', '.###.', '....#', '#...#', '.###.'],
  Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
  N: ['#...#', '##..#', '##..#', '#.#.#', '#..##', '#..##', '#...#'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
  I: ['.###.', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
};

export const SYNTHETIC_LABEL = 'SYNTHETIC';

export interface LabelOptions {
  /** Corner (default bottom-left). */
  corner?: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';
}

/** A copy of `image` (RGB or RGBA) with the label drawn in a corner. */
export function drawSyntheticLabel<T extends ImageBytes>(image: T, options: LabelOptions = {}): T {
  const channels = channelsOf(image, 'label');
  const { width, height } = image;
  const scale = Math.max(1, Math.floor(Math.min(width, height) / 64));
  const pad = scale;
  const boxW = Math.min(width, (SYNTHETIC_LABEL.length * 6 - 1) * scale + 2 * pad);
  const boxH = Math.min(height, 7 * scale + 2 * pad);
  const corner = options.corner ?? 'bottom-left';
  const x0 = corner.endsWith('left') ? 0 : width - boxW;
  const y0 = corner.startsWith('top') ? 0 : height - boxH;
  const out = image.data.slice() as T['data'];
  const set = (x: number, y: number, f: (v: number) => number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * channels;
    for (let c = 0; c < 3; c++) out[i + c] = f(out[i + c]!);
  };
  for (let y = y0; y < y0 + boxH; y++)
    for (let x = x0; x < x0 + boxW; x++) set(x, y, (v) => Math.round(v * 0.3));
  [...SYNTHETIC_LABEL].forEach((ch, k) => {
    const rows = GLYPHS[ch]!;
    rows.forEach((row, gy) => {
      [...row].forEach((cell, gx) => {
        if (cell !== '#') return;
        for (let dy = 0; dy < scale; dy++)
          for (let dx = 0; dx < scale; dx++)
            set(x0 + pad + (k * 6 + gx) * scale + dx, y0 + pad + gy * scale + dy, () => 255);
      });
    });
  });
  return { ...image, data: out };
}
