import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope';

/** A stride-1 correlation that computes an input gradient: its input and explicit padding. */
export interface TransposedSource {
  source: TensorInfo;
  pad: backend_util.ExplicitPadding;
}

/**
 * Prepare dy for computing an input gradient as a forward (stride-1) correlation.
 *
 * The input gradient of a conv is dx[i] = Σ dy[oh] · w[kh] over i = oh·s + kh·d − top (per axis).
 * With s−1 zeros inserted after every dy row, row oh sits at oh·s and i = m + kh·d − top: a
 * stride-1 correlation of the dilated dy with the spatially flipped filter, padded by
 * (KH−1)·d − top before and by whatever makes exactly H rows come out after. A negative pad
 * means dy rows that only reached the forward padding: those are cropped instead.
 */
export function transposedSource(
  scope: KernelScope,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TransposedSource {
  const { batchSize: n, strideHeight: sh, strideWidth: sw } = info;
  const channels = dy.shape[3] as number;
  let dilated = dy;
  if (sh * sw > 1) {
    const spread = scope.reshape(dy, [n, info.outHeight, 1, info.outWidth, 1, channels]);
    const zeros = [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ];
    const padded = scope.run('PadV2', { x: spread }, { paddings: zeros, constantValue: 0 });
    scope.release(spread);
    dilated = scope.reshape(padded, [n, info.outHeight * sh, info.outWidth * sw, channels]);
    scope.release(padded);
  }
  const lengthH = info.outHeight * sh;
  const lengthW = info.outWidth * sw;
  const reachH = (info.filterHeight - 1) * info.dilationHeight;
  const reachW = (info.filterWidth - 1) * info.dilationWidth;
  const top = reachH - info.padInfo.top;
  const left = reachW - info.padInfo.left;
  const bottom = info.inHeight + reachH - lengthH - top;
  const right = info.inWidth + reachW - lengthW - left;

  let source = dilated;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    const cropTop = Math.max(0, -top);
    const cropLeft = Math.max(0, -left);
    const size = [
      n,
      lengthH - cropTop - Math.max(0, -bottom),
      lengthW - cropLeft - Math.max(0, -right),
      channels,
    ];
    source = scope.run('Slice', { x: dilated }, { begin: [0, cropTop, cropLeft, 0], size });
  }
  const pad: backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, top), Math.max(0, bottom)],
    [Math.max(0, left), Math.max(0, right)],
    [0, 0],
  ];
  return { source, pad };
}
