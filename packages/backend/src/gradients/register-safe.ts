import * as tf from '@tensorflow/tfjs-core';
import { ELEMENTWISE_GRADIENTS } from './elementwise';
import { LINEAR_BACKPROP_GRADIENTS } from './linear-backprops';
import { mirrorPadGrad } from './mirror-pad';
import { REDUCTION_GRADIENTS } from './reductions';
import { SOFTMAX_GRADIENTS } from './softmax';
import { registerZeroGradients } from './zero-gradients';

/**
 * Replace or add the gradients R1/R2 (gradient of a gradient) need, after tfjs-core's own
 * gradients are registered: zero gradients for boolean kernels, output-free gradients for ops
 * whose tfjs gradient reuses the op's output, gradients for linear backprop kernels, and a
 * correct MirrorPad gradient. The registry is a global map, so calling this again just
 * re-registers the same configs (idempotent). Returns the kernel names it registered.
 */
export function registerSafeGradients(): string[] {
  const names = registerZeroGradients();
  const configs = [
    ...ELEMENTWISE_GRADIENTS,
    ...SOFTMAX_GRADIENTS,
    ...REDUCTION_GRADIENTS,
    mirrorPadGrad,
    ...LINEAR_BACKPROP_GRADIENTS,
  ];
  for (const config of configs) {
    tf.registerGradient(config);
    names.push(config.kernelName);
  }
  return names;
}
