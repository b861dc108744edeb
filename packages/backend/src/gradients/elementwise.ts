import * as tf from '@tensorflow/tfjs-core';
import { sumToShape } from './broadcast';

/**
 * Output-free gradients for element-wise ops whose tfjs gradient reuses the op's OUTPUT.
 *
 * Why: tfjs saves outputs for backprop as clones recorded on the tape BEFORE the op's own tape
 * node, so an outer (second-order) backprop prunes the path through the saved output and
 * silently drops that term (e.g. d²tanh/dx² comes out 0.853 instead of 0.253). Each gradient
 * here saves only inputs and recomputes what it needs, using ops that are themselves safe, so it
 * can be differentiated again to any order.
 */

/** tanh'(x) = 1 - tanh(x)^2. */
const tanhGrad: tf.GradConfig = {
  kernelName: 'Tanh',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(x)))) };
  },
};

/** sigmoid'(x) = s(1 - s), s = sigmoid(x). */
const sigmoidGrad: tf.GradConfig = {
  kernelName: 'Sigmoid',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return {
      x: () => {
        const s = tf.sigmoid(x);
        return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
      },
    };
  },
};

/** exp'(x) = exp(x). */
const expGrad: tf.GradConfig = {
  kernelName: 'Exp',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return { x: () => tf.mul(dy as tf.Tensor, tf.exp(x)) };
  },
};

/**
 * elu'(x) = 1 for x > 0, exp(x) otherwise (alpha = 1, tfjs' only elu). exp(min(x, 0)) keeps the
 * unselected branch finite, so 0 * inf cannot turn higher derivatives into NaN.
 */
const eluGrad: tf.GradConfig = {
  kernelName: 'Elu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    return {
      x: () => {
        const g = dy as tf.Tensor;
        return tf.where(tf.greater(x, 0), g, tf.mul(g, tf.exp(tf.minimum(x, 0))));
      },
    };
  },
};

/**
 * d(a^b)/da = b a^(b-1); d(a^b)/db = a^b ln(a) (taken as 0 where a <= 0, as tfjs does), both
 * summed back over broadcast axes. a^b is recomputed instead of reusing the saved output.
 */
const powGrad: tf.GradConfig = {
  kernelName: 'Pow',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const g = dy as tf.Tensor;
    return {
      a: () => {
        const bf = tf.cast(b, 'float32');
        return sumToShape(tf.mul(g, tf.mul(bf, tf.pow(a, tf.sub(bf, 1)))), a.shape);
      },
      b: () => {
        const positive = tf.greater(a, 0);
        // log of a clamped-positive base keeps the unselected branch finite.
        const safeBase = tf.where(positive, a, tf.onesLike(a));
        const logBase = tf.where(positive, tf.log(safeBase), tf.zerosLike(a));
        return sumToShape(tf.mul(g, tf.mul(tf.pow(a, b), logBase)), b.shape);
      },
    };
  },
};

export const ELEMENTWISE_GRADIENTS: tf.GradConfig[] = [
  tanhGrad,
  sigmoidGrad,
  expGrad,
  eluGrad,
  powGrad,
];
