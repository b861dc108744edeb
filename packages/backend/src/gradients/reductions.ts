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

/**
 * Gradients of sum and mean that broadcast dy back to x's shape on the device. tfjs multiplies dy
 * by `ones(x.shape)`, a tensor filled in JavaScript and uploaded on every backward pass: for the
 * image-sized means of the losses that was ~0.9 s of CPU time per lsr-224 step on the GPU
 * (profiled on an H100), more than all GPU work of the step. Here the ones come from the Fill
 * kernel (on the device, no upload); the product is the same as tfjs's (dy·1/n) and its
 * gradient, a sum over the broadcast axes, works at every rank and order.
 */
function broadcastingReductionGrad(kernelName: 'Sum' | 'Mean'): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const keptShape = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
      return {
        x: () => {
          const kept = tf.reshape(dy as tf.Tensor, keptShape);
          const scaled =
            kernelName === 'Mean'
              ? tf.div(
                  kept,
                  axes.reduce((n, axis) => n * x.shape[axis]!, 1),
                )
              : kept;
          // Times a device-filled ones tensor rather than broadcastTo: broadcastTo is Tile, whose
          // gradient tfjs implements only up to rank 4 (the 6-d mean pooling reshapes need more).
          return tf.mul(scaled, tf.fill(x.shape, 1, 'float32'));
        },
      };
    },
  };
}

export const REDUCTION_GRADIENTS: tf.GradConfig[] = [
  reductionGrad('Max', 'reductionIndices'),
  reductionGrad('Min', 'axis'),
  broadcastingReductionGrad('Sum'),
  broadcastingReductionGrad('Mean'),
];
