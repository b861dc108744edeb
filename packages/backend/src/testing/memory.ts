import * as tf from '@tensorflow/tfjs-core';

/**
 * Run `fn` `repeats` times and return how many tensors were left behind per run. A leak-free
 * function returns 0. The first run is a warm-up (kernels may cache constants once).
 */
export async function tensorsLeakedPerRun(
  fn: () => void | Promise<void>,
  repeats = 5,
): Promise<number> {
  await fn();
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) await fn();
  return (tf.memory().numTensors - before) / repeats;
}
