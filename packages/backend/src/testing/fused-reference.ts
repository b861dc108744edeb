import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../util/rng';

/**
 * For tests of the fused instance-norm and leaky-ReLU kernels (WebGPU, wasm, cpu): inputs,
 * the op-by-op reference forms and the shapes every implementation is checked at.
 */

/** `shape`'s worth of normal values (seeded), shifted by `offset`. */
export function values(shape: number[], seed: number, offset = 0): Float32Array {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => offset + rng.normal());
}

/** The op-by-op instance norm + modulation (as @th/layers writes it without fused kernels). */
export function referenceModulate(
  x: tf.Tensor4D,
  eps: number,
  g?: tf.Tensor,
  b?: tf.Tensor,
): tf.Tensor {
  const mean = tf.mean(x, [1, 2], true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), [1, 2], true);
  const xhat = tf.div(centered, tf.sqrt(tf.add(variance, eps)));
  return g && b ? tf.add(tf.mul(xhat, tf.add(g, 1)), b) : xhat;
}

/** The portable leaky ReLU, α·x + (1 − α)·relu(x). */
export function referenceLeakyRelu(x: tf.Tensor, alpha: number): tf.Tensor {
  return tf.add(tf.mul(x, alpha), tf.mul(tf.relu(x), 1 - alpha));
}

export interface ModulateCase {
  label: string;
  x: number[];
  mod: 'none' | 'channel' | 'spatial';
}

export const MODULATE_CASES: ModulateCase[] = [
  { label: 'plain IN, C 37 (partial channel tile), H·W 15', x: [2, 3, 5, 37], mod: 'none' },
  { label: 'AdaIN-style γ,β [N,1,1,C], C 64', x: [3, 6, 4, 64], mod: 'channel' },
  { label: 'SPADE-style γ,β [N,H,W,C], C 5', x: [2, 7, 9, 5], mod: 'spatial' },
  // Larger H·W: the WebGPU reductions split it into parts (5 and 4 here) combined afterwards.
  { label: 'SPADE-style, H·W 1200 in 5 parts', x: [2, 40, 30, 5], mod: 'spatial' },
  {
    label: 'AdaIN-style, H·W 1023 in 4 parts, C 40 (2 channel tiles)',
    x: [1, 33, 31, 40],
    mod: 'channel',
  },
];

/**
 * Value and gradients (w.r.t. x, γ, β) of Σ(out · r) for one case, `out` from `modulate` (the
 * fused op, or `referenceModulate`), on the current backend. An offset mean (3) makes a one-pass
 * variance lose digits; the kernels must use two passes.
 */
export async function modulateValueAndGrads(
  c: ModulateCase,
  modulate: (x: tf.Tensor4D, eps: number, g?: tf.Tensor, b?: tf.Tensor) => tf.Tensor | null,
): Promise<{ value: number; grads: number[][] }> {
  const [n, h, w, ch] = c.x as [number, number, number, number];
  const modShape = c.mod === 'channel' ? [n, 1, 1, ch] : c.x;
  const x = tf.tensor4d(values(c.x, 1, 3), [n, h, w, ch]);
  const g = tf.tensor(values(modShape, 2), modShape);
  const b = tf.tensor(values(modShape, 3), modShape);
  const r = tf.tensor(values(c.x, 4), c.x);
  const inputs = c.mod === 'none' ? [x] : [x, g, b];
  const f = (...t: tf.Tensor[]) => {
    const out = modulate(t[0] as tf.Tensor4D, 1e-3, t[1], t[2]);
    if (!out) throw new Error('fused instance norm unavailable');
    return tf.sum(tf.mul(out, r));
  };
  const { value, grads } = tf.valueAndGrads(f)(inputs);
  const result = {
    value: (await value.data())[0]!,
    grads: await Promise.all(grads.map(async (t) => Array.from(await t.data()))),
  };
  tf.dispose([x, g, b, r, value, ...grads]);
  return result;
}

/** ‖a − b‖ / ‖b‖. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}
