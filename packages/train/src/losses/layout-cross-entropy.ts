import * as tf from '@tensorflow/tfjs-core';

/**
 * Stage-1 layout loss (LSR spec §c.1, weight 10): softmax cross-entropy between G^l's layout
 * logits [N,H,W,C] (C = 19 face-parsing classes) and the oracle label map [N,H,W] (int32 in
 * 0..C-1), averaged over all pixels:
 *
 *   CE = mean_{n,h,w} [ logsumexp_c(logits_{nhwc}) − logits_{nhw,label} ]
 *
 * computed through log-softmax for stability. Labels outside 0..C-1 are an error (they would
 * otherwise silently contribute zero); checking reads back two numbers.
 */
export function layoutCrossEntropyLoss(logits: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar {
  if (logits.rank !== 4)
    throw new Error(`layoutCrossEntropyLoss: logits must be [N,H,W,C], got [${logits.shape}]`);
  const [n, h, w, classes] = logits.shape;
  if (
    labels.rank !== 3 ||
    labels.shape[0] !== n ||
    labels.shape[1] !== h ||
    labels.shape[2] !== w
  ) {
    throw new Error(
      `layoutCrossEntropyLoss: labels must be [${n},${h},${w}] to match logits [${logits.shape}], got [${labels.shape}]`,
    );
  }
  if (labels.dtype !== 'int32')
    throw new Error(
      `layoutCrossEntropyLoss: labels must be int32 class indices, got ${labels.dtype}`,
    );
  const [lo, hi] = tf.tidy(
    () => tf.stack([tf.min(labels), tf.max(labels)]).dataSync() as Int32Array,
  );
  if (lo! < 0 || hi! >= classes) {
    throw new Error(
      `layoutCrossEntropyLoss: labels span ${lo}..${hi}, outside the ${classes} classes 0..${classes - 1}`,
    );
  }
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(tf.oneHot(labels, classes), logProbs), -1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}
