import * as tf from '@tensorflow/tfjs-core';
import type { LossBreakdown } from '../losses/weighted-sum';
import { byParameterName } from './variables';

export interface LossGradients {
  /** Weighted total and unweighted terms (kept alive past the gradient tape; caller disposes). */
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
  /** Gradients keyed by parameter name. */
  grads: Record<string, tf.Tensor>;
}

/**
 * d(total)/d(vars) for a loss that reports its terms. Terms are `tf.keep`-ed inside the tape so
 * they survive for logging; everything else the closure made is freed by `variableGrads`.
 * With `lossScale` ≠ 1 the gradients are those of lossScale·total (dynamic loss scaling, see
 * optim/loss-scale.ts; the caller divides them out) while `total` stays unscaled. The scale may
 * be a scalar tensor (a captured step's input: its value changes between replays).
 */
export function lossGradients<K extends string>(
  loss: () => LossBreakdown<K>,
  vars: Readonly<Record<string, tf.Variable>>,
  lossScale: number | tf.Scalar = 1,
): LossGradients {
  let terms: Record<string, tf.Scalar> = {};
  let total: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const out = loss();
    terms = Object.fromEntries(
      Object.entries(out.terms).map(([k, t]) => [k, tf.keep(t as tf.Scalar)]),
    );
    if (lossScale === 1) return out.total;
    total = tf.keep(out.total);
    return tf.mul(out.total, lossScale) as tf.Scalar;
  }, Object.values(vars));
  if (total) value.dispose();
  return { total: total ?? value, terms, grads: byParameterName(grads, vars) };
}

/** Frees everything a `LossGradients` holds. */
export function disposeLossGradients(g: LossGradients): void {
  g.total.dispose();
  tf.dispose(Object.values(g.terms));
  tf.dispose(Object.values(g.grads));
}

/** Prefix the keys of a record (`g.l1`, `d.r1`). */
export function prefixed<T>(
  prefix: string,
  record: Readonly<Record<string, T>>,
): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [`${prefix}${k}`, v]));
}
