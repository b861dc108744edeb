import type { backend_util } from '@tensorflow/tfjs-core';
import type { Pads } from './conv-driver';

/**
 * The zero padding of a conv that @th's SIMD kernels can run, or null: stride 1, dilation 1,
 * non-negative padding (tfjs' 'same', 'valid' and explicit paddings all give that at stride 1).
 */
export function strideOnePads(info: backend_util.Conv2DInfo): Pads | null {
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { top, bottom, left, right } = info.padInfo;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) return null;
  // The geometry must close: the output size follows from the padded input.
  if (info.inHeight + top + bottom - info.filterHeight + 1 !== info.outHeight) return null;
  if (info.inWidth + left + right - info.filterWidth + 1 !== info.outWidth) return null;
  return { top, bottom, left, right };
}
