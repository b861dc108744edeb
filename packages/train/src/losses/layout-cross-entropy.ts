import * as tf from '@tensorflow/tfjs-core';

/**
 * Stage-1 layout loss (docs/design.md#loss-stage1, weight 10): softmax cross-entropy between G^l's
 * layout
 * logits [N,H,W,C] (C = 19 face-parsing classes) and the oracle label map [N,H,W] (int32 in
 * 0..C-1), averaged over all pixels:
 *
 *   CE = mean_{n,h,w} [ logsumexp_c(logits_{nhwc}) − logits_{nhw,label} ]
 *
 * computed through log-softmax for stability. A label outside 0..C-1 would silently contribute
 * zero (its one-hot row is empty), so it makes the loss NaN instead: the trainers' finite check
 * then refuses the step and names this term. The check runs on the device; reading the labels
 * back here (`dataSync`) would be impossible on WebGPU in Node and would stall every step
 * elsewhere. Labels read by @th/data's K-shot loader are range-checked on the CPU while they are
 * decoded, which is where a bad label gets its readable error (shard member, pixel, value).
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
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(tf.oneHot(labels, classes), logProbs), -1);
    const crossEntropy = tf.neg(tf.mean(picked)) as tf.Scalar;
    const outOfRange = tf.any(
      tf.logicalOr(tf.less(labels, 0), tf.greaterEqual(labels, classes)),
    ) as tf.Scalar;
    return tf.where(outOfRange, tf.scalar(Number.NaN), crossEntropy) as tf.Scalar;
  });
}
