import { encodeSafetensors, type RawTensor } from '@th/backend';
import { formulaWeights } from '@th/backend/test';
import type { ExpectedTensor, NamedArray } from '../networks';

/**
 * Deterministic stand-in weights for tests, bit-identical to those of
 * tools/python/golden-networks.py (see its docstring): no pretrained network can be bundled, so the
 * forward passes are checked against an independent NumPy implementation on these instead.
 */

/** MurmurHash3's 32-bit finaliser (an avalanche mix of a uint32). */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Tensor number t (state-dict order) gets s_i = 2 fmix32(i + 0x9E3779B9 (t + 1)) / 2^32 − 1 and,
 * by role: conv weight s·sqrt(6 / fan_in); bias and BN running mean 0.1 s; BN weight 1 + 0.2 s;
 * BN running variance 1 + 0.5 s; LPIPS head 0.1 (1 + s). Stored float32.
 */
export function deterministicArrays(expected: readonly ExpectedTensor[]): Map<string, NamedArray> {
  return formulaWeights(expected, ({ name, shape }, t) => {
    const seed = Math.imul(0x9e3779b9, t + 1) >>> 0;
    const fanIn = shape.length === 4 ? shape[1]! * shape[2]! * shape[3]! : 1;
    const s = (i: number) => (fmix32(i + seed) / 2 ** 32) * 2 - 1;
    if (name.endsWith('running_var')) return (i) => 1 + 0.5 * s(i);
    if (name.endsWith('running_mean') || name.endsWith('bias')) return (i) => 0.1 * s(i);
    if (name.endsWith('bn.weight')) return (i) => 1 + 0.2 * s(i);
    if (name.startsWith('lin')) return (i) => 0.1 * (1 + s(i));
    return (i) => s(i) * Math.sqrt(6 / fanIn);
  });
}

/** Relative difference |a − b| / max(|b|, floor). */
export const relDiff = (a: number, b: number, floor = 1e-12) =>
  Math.abs(a - b) / Math.max(Math.abs(b), floor);

/** Test helper: float32 arrays as safetensors bytes, written by `@th/backend` (what loaders read). */
export function arraysToSafetensors(arrays: ReadonlyMap<string, NamedArray>): Uint8Array {
  const raw = new Map<string, RawTensor>();
  for (const [name, { shape, data }] of arrays) {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    raw.set(name, { dtype: 'F32', shape: [...shape], bytes });
  }
  return encodeSafetensors(raw, {});
}
