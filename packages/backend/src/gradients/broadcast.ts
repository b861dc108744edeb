import * as tf from '@tensorflow/tfjs-core';

/**
 * Adjoint of broadcasting: sum `grad` (shaped like the broadcast result) down to `shape`, the
 * shape of the operand that was broadcast. Sum and reshape are linear with safe gradients.
 */
export function sumToShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
  const reduced = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(reduced, shape);
}
