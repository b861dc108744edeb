import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether a gradient tape is recording (inside tf.grads and friends), read from tfjs-core 4.22's
 * engine state. Ops with an inference-only fast path check it: outside a tape nothing needs
 * their gradient.
 */
export function recordingGradients(): boolean {
  return (tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth > 0;
}
