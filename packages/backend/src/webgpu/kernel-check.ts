import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../backends/types';
import { init } from '../init';
import { rememberStockKernel, stockKernel } from './stock-kernels';

export { relativeMaxError } from '../wasm/naive-conv-grads';

/**
 * Test support for the WGSL kernels (imported by *.webgpu.test.ts only): run the same tensor
 * program on two backends and compare, and tell whether calls really ran @th's kernels.
 */

/** Run `f` on `backend` (brought up by `init`) and read its outputs back as float arrays. */
export async function outputsOn(
  backend: BackendName,
  f: () => tf.Tensor[],
): Promise<{ values: Float32Array[]; shapes: number[][] }> {
  await init({ backend });
  const before = tf.memory().numTensors;
  const outs = f();
  const values: Float32Array[] = [];
  for (const t of outs) values.push((await t.data()) as Float32Array);
  const shapes = outs.map((t) => t.shape);
  tf.dispose(outs);
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`outputsOn(${backend}): ${leaked} tensors leaked`);
  return { values, shapes };
}

/** Largest |value|: a check that compares zeros with zeros could not fail. */
export const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
};

/**
 * Run `f` with tfjs-webgpu's own kernels (the fallback of @th's) for `kernels` counted: proves
 * whether calls ran @th's WGSL kernels (0 fallback calls) or tfjs' (more than 0).
 */
export async function countingFallbacks<T>(
  kernels: readonly string[],
  f: () => Promise<T>,
): Promise<{ result: T; fallbackCalls: number }> {
  await init({ backend: 'webgpu' }); // registers @th's kernels, capturing tfjs' own
  let fallbackCalls = 0;
  const originals = kernels.map((name) => {
    const original = stockKernel(name);
    if (!original) throw new Error(`countingFallbacks: no tfjs-webgpu ${name} captured`);
    rememberStockKernel(name, (args) => {
      fallbackCalls++;
      return original(args);
    });
    return [name, original] as const;
  });
  try {
    return { result: await f(), fallbackCalls };
  } finally {
    for (const [name, original] of originals) rememberStockKernel(name, original);
  }
}
