import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Rng } from '../util/rng';

/** A scalar function of zero or more tensors, the thing whose gradient is checked. */
export type ScalarFn = (...xs: tf.Tensor[]) => tf.Scalar;

/** |a - b| / max(|a|, |b|, floor): relative error that stays meaningful when both are ~0. */
export function relativeError(a: number, b: number, floor = 1e-4): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/** ||a - b|| / max(||a||, ||b||, floor) for two equally long vectors (Euclidean norms). */
export function vectorRelativeError(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  floor = 1e-4,
): number {
  if (a.length !== b.length)
    throw new Error(`vectorRelativeError: lengths differ (${a.length} vs ${b.length})`);
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    diff += (x - y) ** 2;
    na += x * x;
    nb += y * y;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(na), Math.sqrt(nb), floor);
}

/** Tensors shaped like `like` with N(0, 1) entries drawn from `rng` (float32). */
export function directionsFrom(rng: Rng, like: readonly tf.Tensor[]): tf.Tensor[] {
  return like.map((x) => tf.tensor(rng.normalArray(x.size), x.shape, 'float32'));
}

/** Random directions shaped like `xs`, entries N(0, 1), reproducible from `seed`. */
export function randomDirections(xs: readonly tf.Tensor[], seed = 1): tf.Tensor[] {
  return directionsFrom(createRng(seed), xs);
}

/** Evaluates the checked scalar at the point moved by t along a direction (one tensor a slot). */
export type PointValue = (dirs: readonly tf.Tensor[], t: number) => Promise<number>;

/** The two central differences D(h) and D(h/2) along one direction. */
export interface CentralDifferences {
  coarse: number;
  fine: number;
}

/** D(h) = (v(h) - v(-h)) / 2h and D(h/2), differenced in float64 on the JS side. */
export async function centralDifferences(
  value: PointValue,
  dirs: readonly tf.Tensor[],
  step: number,
): Promise<CentralDifferences> {
  const central = async (h: number) => ((await value(dirs, h)) - (await value(dirs, -h))) / (2 * h);
  const coarse = await central(step);
  const fine = await central(step / 2);
  return { coarse, fine };
}

/**
 * The numeric derivative from D(h) and D(h/2): central differences have error O(h^2), so
 * Richardson extrapolation (4 D(h/2) - D(h)) / 3 cancels it to O(h^4); without it, D(h/2).
 */
export function combineDifferences(d: CentralDifferences, richardson: boolean): number {
  return richardson ? (4 * d.fine - d.coarse) / 3 : d.fine;
}

/** Value of f at xs + t * dirs, read back as a number (f must return one element). */
export function pointValueOf(f: ScalarFn, xs: readonly tf.Tensor[]): PointValue {
  return async (dirs, t) => {
    const y = tf.tidy(() => f(...xs.map((x, i) => tf.add(x, tf.mul(dirs[i] as tf.Tensor, t)))));
    try {
      if (!(y instanceof tf.Tensor) || y.size !== 1)
        throw new Error(
          `gradient check: f must return a scalar tensor, got ${y instanceof tf.Tensor ? `shape [${y.shape}]` : typeof y}`,
        );
      return (await y.data())[0] as number;
    } finally {
      if (y instanceof tf.Tensor) y.dispose();
    }
  };
}

/**
 * Central-difference directional derivative of f at xs along dirs, D(h) = (f(x + h v) -
 * f(x - h v)) / 2h, Richardson-extrapolated by default (see `combineDifferences`).
 */
export async function directionalDerivative(
  f: ScalarFn,
  xs: tf.Tensor[],
  dirs: tf.Tensor[],
  step = 3e-2,
  richardson = true,
): Promise<number> {
  return combineDifferences(await centralDifferences(pointValueOf(f, xs), dirs, step), richardson);
}
