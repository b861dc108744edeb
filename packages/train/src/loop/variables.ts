import type * as tf from '@tensorflow/tfjs-core';
import type { LsrModel } from '@th/models';

/** The sub-networks of LSR, by their names in the model's parameter tree. */
export type NetworkName =
  | 'styleEncoder'
  | 'layoutEncoder'
  | 'layoutGenerator'
  | 'imageGenerator'
  | 'discriminator';

/** Variables of the named sub-networks keyed by dotted parameter name (what Adam and checkpoints use). */
export function variablesOf(
  model: LsrModel,
  networks: readonly NetworkName[],
): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [name, p] of model.namedParameters()) {
    if (networks.some((n) => name.startsWith(`${n}.`))) out[name] = p.value;
  }
  if (Object.keys(out).length === 0)
    throw new Error(`variablesOf: no parameters under ${networks.join(', ')}`);
  return out;
}

/** `tf.variableGrads` keys gradients by tf variable name; re-key them by parameter name. */
export function byParameterName(
  grads: tf.NamedTensorMap,
  vars: Readonly<Record<string, tf.Variable>>,
): Record<string, tf.Tensor> {
  const names = new Map(Object.entries(vars).map(([n, v]) => [v.name, n]));
  const out: Record<string, tf.Tensor> = {};
  for (const [varName, g] of Object.entries(grads)) {
    const n = names.get(varName);
    if (!n) throw new Error(`gradient for a variable outside the optimised set: ${varName}`);
    out[n] = g;
  }
  return out;
}
