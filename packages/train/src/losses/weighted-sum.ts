import * as tf from '@tensorflow/tfjs-core';

/** A total loss and its UNweighted terms (scalars), for logging. */
export interface LossBreakdown<K extends string = string> {
  total: tf.Scalar;
  terms: Partial<Record<K, tf.Scalar>>;
}

/**
 * Σ_k weight_k · term_k over the terms present. The terms stay alive (returned for logging). Inside
 * a gradient closure (`tf.variableGrads`) wrap the terms you want after it in `tf.keep`.
 */
export function weightedSum<K extends string>(
  terms: Partial<Record<K, tf.Scalar>>,
  weights: Record<K, number>,
): tf.Scalar {
  const entries = Object.entries(terms) as [K, tf.Scalar][];
  if (entries.length === 0)
    throw new Error('weightedSum: no loss terms are enabled (all weights 0?)');
  return tf.tidy(() => tf.addN(entries.map(([k, t]) => tf.mul(t, weights[k]))) as tf.Scalar);
}
