import * as tf from '@tensorflow/tfjs-core';

/**
 * Output-free gradients for softmax and log-softmax (see elementwise.ts for why tfjs' own ones,
 * which reuse the saved output, give wrong second derivatives).
 *
 * softmax:     dx = s * (dy - sum(dy * s)),  s = softmax(x)      (Jacobian diag(s) - s s^T)
 * log-softmax: dx = dy - s * sum(dy),        s = softmax(x)      (Jacobian I - 1 s^T)
 * Both recompute s from the saved input. Sums run over the softmax axis (tfjs: the last one).
 */
const softmaxGrad: tf.GradConfig = {
  kernelName: 'Softmax',
  inputsToSave: ['logits'],
  gradFunc: (dy, saved, attrs) => {
    const [logits] = saved as [tf.Tensor];
    const dim = attrs.dim as number;
    return {
      logits: () => {
        const s = tf.softmax(logits, dim);
        const g = dy as tf.Tensor;
        return tf.mul(s, tf.sub(g, tf.sum(tf.mul(g, s), dim, true)));
      },
    };
  },
};

const logSoftmaxGrad: tf.GradConfig = {
  kernelName: 'LogSoftmax',
  inputsToSave: ['logits'],
  gradFunc: (dy, saved, attrs) => {
    const [logits] = saved as [tf.Tensor];
    const axis = attrs.axis as number;
    return {
      logits: () => {
        const s = tf.softmax(logits, axis);
        const g = dy as tf.Tensor;
        return tf.sub(g, tf.mul(s, tf.sum(g, axis, true)));
      },
    };
  },
};

export const SOFTMAX_GRADIENTS: tf.GradConfig[] = [softmaxGrad, logSoftmaxGrad];
