/**
 * One display colour per class id, shared by everything that draws a class map: the oracle
 * segmentations (`th-data inspect`), the layout argmax in training sample sheets, `th reenact
 * --panels` and the web demo. Class 0 (background) is black; the others step around the hue circle
 * by the golden angle (so consecutive ids get distant hues) at alternating saturation; no two
 * colours are closer than 51 levels in any channel's largest difference.
 */
import { assertImageSize, type RgbImage } from '../image/rgb-image';
import { SEGMENTATION_CLASS_COUNT } from './classes';

export type Rgb = readonly [number, number, number];

function classColour(id: number): Rgb {
  if (id === 0) return [0, 0, 0];
  const hue = (id * 137.508) % 360;
  const saturation = id % 2 ? 1 : 0.8;
  // HSV → RGB at full value: channel n is 1 − s·clamp(min(k, 4 − k), 0, 1), k = (n + hue/60) mod 6.
  const channel = (n: number) => {
    const k = (n + hue / 60) % 6;
    return Math.round(255 * (1 - saturation * Math.max(0, Math.min(k, 4 - k, 1))));
  };
  return [channel(5), channel(3), channel(1)];
}

/** Colours of the 19 classes (CelebAMask-HQ ids, which the layout channels start from). */
export const CLASS_PALETTE: readonly Rgb[] = Array.from(
  { length: SEGMENTATION_CLASS_COUNT },
  (_, id) => classColour(id),
);

/**
 * A class-id map (row-major, `width`×`height`) drawn with CLASS_PALETTE; ids beyond it wrap
 * around, so a model with more layout channels still draws.
 */
export function colourClassMap(ids: ArrayLike<number>, width: number, height: number): RgbImage {
  assertImageSize(width, height, 'colourClassMap');
  if (ids.length !== width * height) {
    throw new Error(`colourClassMap: ${ids.length} ids for a ${width}x${height} map`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const id = ids[p]!;
    if (!Number.isInteger(id) || id < 0) {
      throw new Error(`colourClassMap: pixel ${p} has class id ${id} (expected an integer >= 0)`);
    }
    data.set(CLASS_PALETTE[id % CLASS_PALETTE.length]!, p * 3);
  }
  return { width, height, data };
}
