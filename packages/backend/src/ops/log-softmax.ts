import * as tf from '@tensorflow/tfjs-core';

/**
 * log softmax along the last axis, log(softmax(x)) = x - m - log(sum(exp(x - m))), m = max(x).
 *
 * tf.logSoftmax is a tf.customGrad that saves its OUTPUT for the backward pass, which an outer
 * (second-order) backprop cannot see: its nested gradient is silently wrong and the registry
 * cannot fix it (there is no kernel to re-register). This composition of max/sub/exp/sum/log,
 * whose gradients @th makes output-free, is correct to any order. The result does not depend
 * on m, so the max only guards against overflow.
 */
export function logSoftmax<T extends tf.Tensor>(x: T): T {
  if (x == null || typeof x !== 'object' || !('rank' in x) || x.rank < 1) {
    throw new Error('logSoftmax: expected a tf.Tensor of rank >= 1');
  }
  const axis = x.rank - 1;
  return tf.tidy(() => {
    const shifted = tf.sub(x, tf.max(x, axis, true));
    return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), axis, true)));
  }) as T;
}
