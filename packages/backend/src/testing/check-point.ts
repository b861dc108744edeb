import * as tf from '@tensorflow/tfjs-core';
import { type PointValue, pointValueOf, type ScalarFn } from './finite-diff';

/**
 * The point x = (inputs, variables) at which a gradient is checked. Inputs are passed to f as
 * arguments; variables are read by f through its closure (a module's weights), so moving along a
 * direction assigns them in place, and they are restored after every evaluation.
 */
export interface CheckPoint {
  /** Inputs, then variables: one direction tensor per slot. */
  readonly slots: readonly tf.Tensor[];
  /** "input 0", `variable "name"`: how failure messages name a slot. */
  readonly labels: readonly string[];
  /** f at the point moved by t along dirs (variables restored afterwards). */
  readonly value: PointValue;
  /** The analytic gradient per slot (zeros where f does not depend on it); caller disposes. */
  analyticGradient(): tf.Tensor[];
  dispose(): void;
}

function assertFloatTensors(what: string, ts: readonly unknown[] | undefined): void {
  if (!Array.isArray(ts)) throw new Error(`gradient check: ${what} must be an array of tensors`);
  ts.forEach((t, i) => {
    if (!(t instanceof tf.Tensor)) throw new Error(`gradient check: ${what}[${i}] is not a tensor`);
    if (t.dtype !== 'float32')
      throw new Error(`gradient check: ${what}[${i}] has dtype ${t.dtype}, expected float32`);
  });
}

/** The gradient of f w.r.t. every slot; tensors without a path from them to f get zeros. */
export function gradientOf(f: ScalarFn, xs: readonly tf.Tensor[], slots: readonly tf.Tensor[]) {
  return tf.tidy(() => {
    // allowNoGradients: a variable that does not reach f (e.g. the last bias in an R1 term)
    // has gradient 0, exactly what finite differences see; tf.grads would throw instead.
    const { grads } = tf.engine().gradients(() => f(...xs), [...slots], undefined, true);
    return slots.map((s, i) => grads[i] ?? tf.zerosLike(s));
  });
}

/** Clear errors for inputs or variables that are not float32 tensors, or for an empty point. */
export function assertCheckable(xs: readonly tf.Tensor[], variables: readonly tf.Variable[]): void {
  assertFloatTensors('inputs', xs);
  assertFloatTensors('variables', variables);
  if (xs.length + variables.length === 0)
    throw new Error('gradient check: nothing to differentiate (no inputs and no variables)');
}

export function makeCheckPoint(
  f: ScalarFn,
  xs: readonly tf.Tensor[],
  variables: readonly tf.Variable[] = [],
): CheckPoint {
  assertCheckable(xs, variables);
  const slots = [...xs, ...variables];
  const originals = variables.map((v) => tf.clone(v));
  const inputsValue = pointValueOf(f, xs);
  const restore = () => {
    variables.forEach((v, i) => {
      v.assign(originals[i] as tf.Tensor);
    });
  };
  const value: PointValue = async (dirs, t) => {
    try {
      variables.forEach((v, i) => {
        const dir = dirs[xs.length + i] as tf.Tensor;
        tf.tidy(() => v.assign(tf.add(originals[i] as tf.Tensor, tf.mul(dir, t))));
      });
      return await inputsValue(dirs.slice(0, xs.length), t);
    } finally {
      restore();
    }
  };
  return {
    slots,
    labels: [...xs.map((_, i) => `input ${i}`), ...variables.map((v) => `variable "${v.name}"`)],
    value,
    analyticGradient: () => gradientOf(f, xs, slots),
    dispose: () => tf.dispose(originals),
  };
}
