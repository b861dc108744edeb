import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../util/rng';

/** A scalar function of one or more tensors, the thing whose gradient is checked. */
export type ScalarFn = (...xs: tf.Tensor[]) => tf.Scalar;

export interface FiniteDiffOptions {
  /**
   * Base step h along each direction (directions have N(0,1) entries, so every coordinate moves
   * by about h). Default 3e-2: with Richardson extrapolation the truncation error is O(h^4),
   * while float32 round-off grows like eps*|f|/h; for O(1) inputs 3e-2 measured ~10x more
   * accurate than 1e-2 (1e-5..1e-4 relative). Keep kinks (relu at 0) farther than ~4h away;
   * for functions of many kinked units (a network's R1, which jumps where a pre-activation
   * crosses 0) use ~3e-3 so the stencil rarely straddles a jump.
   */
  step?: number;
  /** Number of random directions (default 3). */
  directions?: number;
  /** Seed of the directions (default 1). */
  seed?: number;
  /** Combine steps h and h/2 by Richardson extrapolation (default true). */
  richardson?: boolean;
  /** Absolute scale below which differences count as noise in `relativeError` (default 1e-4). */
  floor?: number;
}

export interface GradientCheck {
  /** <analytic gradient, v> per direction. */
  analytic: number[];
  /** Finite-difference directional derivative per direction. */
  numeric: number[];
  /**
   * ||analytic - numeric|| / max(||analytic||, ||numeric||, floor) over the vector of
   * directions. Pooling the directions keeps one direction nearly orthogonal to the gradient
   * (a tiny value, dominated by float32 noise) from reading as a large relative error, while a
   * wrong gradient still shows in every direction.
   */
  relError: number;
  /** relativeError per direction (noisy where the directional derivative is near 0). */
  perDirection: number[];
}

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

/** Random directions shaped like `xs`, entries N(0, 1), reproducible from `seed`. */
export function randomDirections(xs: tf.Tensor[], seed = 1): tf.Tensor[] {
  const rng = createRng(seed);
  return xs.map((x) => tf.tensor(rng.normalArray(x.size), x.shape, 'float32'));
}

/**
 * Central-difference directional derivative of f at xs along dirs:
 * D(h) = (f(x + h v) - f(x - h v)) / 2h, error O(h^2); with Richardson (4 D(h/2) - D(h)) / 3,
 * error O(h^4). Function values are read back and differenced in float64.
 */
export async function directionalDerivative(
  f: ScalarFn,
  xs: tf.Tensor[],
  dirs: tf.Tensor[],
  step = 3e-2,
  richardson = true,
): Promise<number> {
  const at = async (t: number): Promise<number> => {
    const y = tf.tidy(() => f(...xs.map((x, i) => tf.add(x, tf.mul(dirs[i] as tf.Tensor, t)))));
    const v = (await y.data())[0] as number;
    y.dispose();
    return v;
  };
  const central = async (h: number) => ((await at(h)) - (await at(-h))) / (2 * h);
  const coarse = await central(step);
  if (!richardson) return coarse;
  const fine = await central(step / 2);
  return (4 * fine - coarse) / 3;
}

/**
 * Check tf.grads(f) at xs against finite differences: for random directions v, compare
 * sum_i <df/dx_i, v_i> with the numeric directional derivative.
 */
export async function checkGradient(
  f: ScalarFn,
  xs: tf.Tensor[],
  opts: FiniteDiffOptions = {},
): Promise<GradientCheck> {
  const count = opts.directions ?? 3;
  const analytic: number[] = [];
  const numeric: number[] = [];
  for (let d = 0; d < count; d++) {
    const dirs = randomDirections(xs, (opts.seed ?? 1) * 1000 + d);
    const projected = tf.tidy(() => {
      const grads = tf.grads(f)(xs);
      return tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, dirs[i] as tf.Tensor))));
    });
    analytic.push((await projected.data())[0] as number);
    projected.dispose();
    numeric.push(await directionalDerivative(f, xs, dirs, opts.step, opts.richardson ?? true));
    tf.dispose(dirs);
  }
  const perDirection = analytic.map((a, i) => relativeError(a, numeric[i] as number, opts.floor));
  return {
    analytic,
    numeric,
    relError: vectorRelativeError(analytic, numeric, opts.floor),
    perDirection,
  };
}

/**
 * Check SECOND-order gradients (Hessian-vector products, what R1/R2 need): for a fixed random
 * direction u, g(x) = sum_i <df/dx_i, u_i> is built with tf.grads (so it is itself a gradient),
 * and tf.grads(g) is checked against finite differences of g as in `checkGradient`.
 */
export async function checkNestedGradient(
  f: ScalarFn,
  xs: tf.Tensor[],
  opts: FiniteDiffOptions = {},
): Promise<GradientCheck> {
  const u = randomDirections(xs, (opts.seed ?? 1) * 7919 + 13);
  const firstAlongU: ScalarFn = (...ys) =>
    tf.tidy(() => {
      const grads = tf.grads(f)(ys);
      return tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, u[i] as tf.Tensor)))) as tf.Scalar;
    });
  try {
    return await checkGradient(firstAlongU, xs, opts);
  } finally {
    tf.dispose(u);
  }
}
