import * as tf from '@tensorflow/tfjs-core';

/**
 * Zero-pad (positive amounts) or crop (negative amounts) a 4-D NHWC tensor along H and W.
 * Pad's gradient is a slice and Slice's is a pad, so this is linear and safe to any order.
 */
export function padOrCrop(
  x: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const cropTop = Math.max(-top, 0);
  const cropLeft = Math.max(-left, 0);
  const keepH = h - cropTop - Math.max(-bottom, 0);
  const keepW = w - cropLeft - Math.max(-right, 0);
  let y = x;
  if (cropTop || cropLeft || keepH !== h || keepW !== w)
    y = tf.slice(y, [0, cropTop, cropLeft, 0], [n, keepH, keepW, c]);
  const p = [Math.max(top, 0), Math.max(bottom, 0), Math.max(left, 0), Math.max(right, 0)];
  if (p.some((v) => v > 0))
    y = tf.pad(y, [
      [0, 0],
      [p[0] as number, p[1] as number],
      [p[2] as number, p[3] as number],
      [0, 0],
    ]);
  return y;
}

/**
 * Zero insertion ("stride-s transposed subsampling"): output[i * s] = input[i] along H and W,
 * zeros elsewhere, shape [N, H*s, W*s, C]. Built from reshape + pad (no transpose): placing each
 * row in a new axis of length s and padding that axis puts s - 1 zeros after every row.
 */
export function zeroInsert(x: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (stride === 1) return x;
  const [n, h, w, c] = x.shape;
  const rows = tf.reshape(
    tf.pad(tf.reshape(x, [n, h, 1, w * c]), [
      [0, 0],
      [0, 0],
      [0, stride - 1],
      [0, 0],
    ]),
    [n, h * stride, w, c],
  );
  const cols = tf.pad(tf.reshape(rows, [n * h * stride, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, stride - 1],
    [0, 0],
  ]);
  return tf.reshape(cols, [n, h * stride, w * stride, c]);
}
