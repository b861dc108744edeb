import * as tf from '@tensorflow/tfjs-core';
import { leakyReluFused } from '../webgpu/runtime/fused-ops';

/**
 * Leaky ReLU, f(x) = x for x > 0 and alpha * x otherwise, written as
 *   f(x) = alpha * x + (1 - alpha) * relu(x),
 * which holds for any alpha. Relu's gradient (dy * step(x)) and its second derivative (zero)
 * are safe in tfjs, so this works inside R1/R2 penalties without the comparison-kernel gradients
 * that tf.leakyRelu's nested gradient needs. On WebGPU with @th's runtime it is one fused kernel
 * whose gradient kernel is exact at every order (see kernels/leaky-relu.ts).
 */
export function leakyRelu<T extends tf.Tensor>(x: T, alpha = 0.2): T {
  if (!Number.isFinite(alpha))
    throw new Error(`leakyRelu: alpha must be a finite number, got ${alpha}`);
  if (x == null || typeof x !== 'object' || !('dtype' in x) || x.dtype !== 'float32') {
    throw new Error(
      `leakyRelu: expected a float32 tf.Tensor, got ${x == null ? String(x) : (x as tf.Tensor).dtype}`,
    );
  }
  return (
    leakyReluFused(x, alpha) ??
    (tf.tidy(() => tf.add(tf.mul(x, alpha), tf.mul(tf.relu(x), 1 - alpha))) as T)
  );
}
