import type * as tf from '@tensorflow/tfjs-core';

/** Throw a clear error unless `x` is a float32 NHWC batch. */
export function assertImageBatch(op: string, x: tf.Tensor): asserts x is tf.Tensor4D {
  if (x == null || typeof x !== 'object' || !('shape' in x))
    throw new Error(`${op}: expected a tf.Tensor4D, got ${String(x)}`);
  if (x.rank !== 4)
    throw new Error(`${op}: expected a rank-4 NHWC tensor, got shape [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32') throw new Error(`${op}: expected float32 input, got ${x.dtype}`);
}

/** Throw unless `value` is an integer >= `min`. */
export function assertInteger(op: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${op}: ${name} must be an integer >= ${min}, got ${value}`);
}
