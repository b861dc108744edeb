import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/module';

/** Test support: set every parameter whose name starts with one of `prefixes` to zero. */
export function zeroParameters(module: Module, prefixes: string[]): void {
  const dict = module.stateDict();
  const updated: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(dict)) {
    updated[name] = prefixes.some((p) => name.startsWith(p)) ? tf.zerosLike(t) : t;
  }
  module.loadStateDict(updated);
  for (const [name, t] of Object.entries(updated)) if (t !== dict[name]) t.dispose();
}

/** Test support: a copy of the state dict as plain arrays, as if written to and read from disk. */
export async function snapshot(module: Module): Promise<Record<string, tf.Tensor>> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(module.stateDict()))
    out[name] = tf.tensor(await t.data(), t.shape);
  return out;
}

/** Exact equality of two tensors' values (bit-identical floats). */
export function sameValues(a: tf.Tensor, b: tf.Tensor): boolean {
  const [x, y] = [a.dataSync(), b.dataSync()];
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}
