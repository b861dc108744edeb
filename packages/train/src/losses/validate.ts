import type * as tf from '@tensorflow/tfjs-core';

/** Throw a clear error unless `a` and `b` have identical shapes. */
export function assertSameShape(what: string, a: tf.Tensor, b: tf.Tensor): void {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${what}: shapes differ, [${a.shape}] vs [${b.shape}]`);
  }
}

/** Throw a clear error unless `t` has the given rank. */
export function assertRank(what: string, t: tf.Tensor, rank: number): void {
  if (t.rank !== rank) throw new Error(`${what}: expected rank ${rank}, got shape [${t.shape}]`);
}
