import * as tf from '@tensorflow/tfjs-core';

/**
 * Output-free gradients for the max / min reductions: dx = dy * [x == r(x)], where r(x) is the
 * reduction recomputed from the saved input with keepDims (tfjs reused the saved output, which
 * an outer backprop cannot see). Like tfjs, every element tied with the extremum receives dy.
 * The mask is piecewise constant, so the second derivative is zero almost everywhere, and the
 * Equal kernel's zero gradient (zero-gradients.ts) makes that differentiable.
 */
function reductionGrad(
  kernelName: 'Max' | 'Min',
  axisAttr: 'reductionIndices' | 'axis',
): tf.GradConfig {
  const reduce = kernelName === 'Max' ? tf.max : tf.min;
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape);
      return {
        x: () => {
          const extremum = reduce(x, axes, true);
          const mask = tf.cast(tf.equal(x, extremum), 'float32');
          return tf.mul(tf.reshape(dy as tf.Tensor, extremum.shape), mask);
        },
      };
    },
  };
}

export const REDUCTION_GRADIENTS: tf.GradConfig[] = [
  reductionGrad('Max', 'reductionIndices'),
  reductionGrad('Min', 'axis'),
];
