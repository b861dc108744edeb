import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../util/rng';
import { describeFailure } from './check-failure';
import { assertCheckable, type CheckPoint, gradientOf, makeCheckPoint } from './check-point';
import {
  centralDifferences,
  combineDifferences,
  directionsFrom,
  randomDirections,
  relativeError,
  type ScalarFn,
  vectorRelativeError,
} from './finite-diff';
import {
  type GradientCheck,
  type GradientCheckOptions,
  resolveOptions,
} from './gradient-check-types';

/** sum_i <g_i, v_i> read back as a number. */
async function project(grads: readonly tf.Tensor[], dirs: readonly tf.Tensor[]): Promise<number> {
  const p = tf.tidy(() => tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, dirs[i] as tf.Tensor)))));
  const v = (await p.data())[0] as number;
  p.dispose();
  return v;
}

/**
 * Check the analytic gradient of f (tfjs autodiff, w.r.t. the inputs xs and `opts.variables`)
 * against central finite differences: for random N(0,1) directions v, compare
 * sum_i <df/dx_i, v_i> with the numeric directional derivative (Richardson-extrapolated).
 *
 * Kinks: ReLU/leaky-ReLU make f piecewise smooth, and a stencil that straddles a kink gives a
 * wrong difference although the gradient is right. On smooth pieces D(h) and D(h/2) agree to
 * O(h^2); when they disagree by more than `smoothTolerance` the direction is drawn again (up to
 * `attempts` times). The test uses only function values, never the analytic gradient, so a
 * retry cannot hide a wrong gradient.
 *
 * With `tolerance`, a relative error above it throws an error listing every direction and, for
 * points of at most `localizeLimit` elements, the element whose gradient is off the most.
 */
export async function checkGradient(
  f: ScalarFn,
  xs: tf.Tensor[],
  opts: GradientCheckOptions = {},
): Promise<GradientCheck> {
  const o = resolveOptions(opts);
  const point: CheckPoint = makeCheckPoint(f, xs, o.variables);
  const grads = point.analyticGradient();
  try {
    const analytic: number[] = [];
    const numeric: number[] = [];
    let redrawn = 0;
    for (let d = 0; d < o.directions; d++) {
      const rng = createRng(o.seed * 1000 + d);
      // Of the draws, keep the one whose D(h) and D(h/2) agree best (the first smooth one).
      let best = { analytic: 0, numeric: 0, roughness: Number.POSITIVE_INFINITY };
      for (let attempt = 0; attempt < o.attempts; attempt++) {
        const dirs = directionsFrom(rng, point.slots);
        try {
          const diffs = await centralDifferences(point.value, dirs, o.step);
          const roughness = relativeError(diffs.coarse, diffs.fine, o.floor);
          if (attempt === 0 || roughness < best.roughness) {
            const numericHere = combineDifferences(diffs, o.richardson);
            best = { analytic: await project(grads, dirs), numeric: numericHere, roughness };
          }
          if (roughness <= o.smoothTolerance) break;
          if (attempt < o.attempts - 1) redrawn++;
        } finally {
          tf.dispose(dirs);
        }
      }
      analytic.push(best.analytic);
      numeric.push(best.numeric);
    }
    const check: GradientCheck = {
      analytic,
      numeric,
      relError: vectorRelativeError(analytic, numeric, o.floor),
      perDirection: analytic.map((a, i) => relativeError(a, numeric[i] as number, o.floor)),
      redrawn,
    };
    // `!(x <= tol)` so that a NaN error fails too.
    if (o.tolerance !== undefined && !(check.relError <= o.tolerance))
      throw new Error(await describeFailure(f, xs, point, grads, check, o));
    return check;
  } finally {
    tf.dispose(grads);
    point.dispose();
  }
}

/**
 * Check SECOND-order gradients (Hessian-vector products, what R1/R2 need): for a fixed random
 * direction u over all inputs and variables, g(x) = sum_i <df/dx_i, u_i> is built with autodiff
 * (so it is itself a gradient), and g's gradient is checked as in `checkGradient`.
 */
export async function checkNestedGradient(
  f: ScalarFn,
  xs: tf.Tensor[],
  opts: GradientCheckOptions = {},
): Promise<GradientCheck> {
  const variables = opts.variables ?? [];
  assertCheckable(xs, variables);
  const u = randomDirections([...xs, ...variables], (opts.seed ?? 1) * 7919 + 13);
  const firstAlongU: ScalarFn = (...ys) =>
    tf.tidy(() => {
      const grads = gradientOf(f, ys, [...ys, ...variables]);
      return tf.addN(grads.map((g, i) => tf.sum(tf.mul(g, u[i] as tf.Tensor)))) as tf.Scalar;
    });
  try {
    return await checkGradient(firstAlongU, xs, opts);
  } finally {
    tf.dispose(u);
  }
}
