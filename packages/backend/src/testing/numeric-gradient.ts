import * as tf from '@tensorflow/tfjs-core';
import { makeCheckPoint } from './check-point';
import { centralDifferences, combineDifferences, type ScalarFn } from './finite-diff';

export interface NumericGradientOptions {
  /** Step h of each element (default 3e-2, the scale of the directional checks). */
  step?: number;
  /** Richardson extrapolation of D(h) and D(h/2) (default true). */
  richardson?: boolean;
  /** Variables f reads through its closure; their gradients follow the inputs' in the result. */
  variables?: tf.Variable[];
}

/**
 * The full gradient of a scalar f by central differences along every unit vector e_j:
 *   df/dx_j ~ (f(x + h e_j) - f(x - h e_j)) / 2h   (Richardson: (4 D(h/2) - D(h)) / 3),
 * one Float64Array per input, then per variable. Costs 2 (4 with Richardson) evaluations per
 * element: for small tensors, or to locate the worst element of a failed directional check.
 */
export async function numericGradient(
  f: ScalarFn,
  xs: tf.Tensor[],
  opts: NumericGradientOptions = {},
): Promise<Float64Array[]> {
  const step = opts.step ?? 3e-2;
  if (!(step > 0)) throw new Error(`numericGradient: step must be > 0, got ${step}`);
  const point = makeCheckPoint(f, xs, opts.variables);
  const zeros = point.slots.map((s) => tf.zerosLike(s));
  try {
    const out: Float64Array[] = [];
    for (const [k, slot] of point.slots.entries()) {
      const grad = new Float64Array(slot.size);
      for (let j = 0; j < slot.size; j++) {
        // A fresh array each time: the cpu backend keeps the array it is given, uncopied.
        const unit = new Float32Array(slot.size);
        unit[j] = 1;
        const e = tf.tensor(unit, slot.shape, 'float32');
        const dirs = zeros.map((z, i) => (i === k ? e : z));
        try {
          const d = await centralDifferences(point.value, dirs, step);
          grad[j] = combineDifferences(d, opts.richardson ?? true);
        } finally {
          e.dispose();
        }
      }
      out.push(grad);
    }
    return out;
  } finally {
    tf.dispose(zeros);
    point.dispose();
  }
}

/** The element where an analytic and a numeric gradient differ the most (absolute). */
export interface ElementMismatch {
  /** Which slot: "input 0" or `variable "name"`. */
  slot: string;
  /** Multi-index of the element inside its tensor. */
  index: number[];
  analytic: number;
  numeric: number;
  /** |analytic - numeric| / max(|analytic|, |numeric|, floor). */
  relError: number;
}

/** Row-major flat index -> multi-index for `shape`. */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    index[d] = rest % size;
    rest = Math.floor(rest / size);
  }
  return index;
}

/**
 * The largest |analytic - numeric| over all elements of all slots. Ranking by the absolute gap
 * (not the relative one) keeps elements whose gradient is ~0, where float32 noise is relatively
 * large, from hiding the element that actually carries the error.
 */
export function worstElement(
  analytic: readonly ArrayLike<number>[],
  numeric: readonly ArrayLike<number>[],
  labels: readonly string[],
  shapes: readonly (readonly number[])[],
  floor = 1e-4,
): ElementMismatch {
  let best: ElementMismatch | null = null;
  let bestGap = -1;
  for (const [k, a] of analytic.entries()) {
    const n = numeric[k] as ArrayLike<number>;
    for (let j = 0; j < a.length; j++) {
      const [x, y] = [a[j] as number, n[j] as number];
      const gap = Number.isNaN(x - y) ? Number.POSITIVE_INFINITY : Math.abs(x - y);
      if (gap <= bestGap) continue;
      bestGap = gap;
      const relError = gap / Math.max(Math.abs(x), Math.abs(y), floor);
      const index = unravelIndex(j, shapes[k] as number[]);
      best = { slot: labels[k] as string, index, analytic: x, numeric: y, relError };
    }
  }
  if (best === null) throw new Error('worstElement: no elements to compare');
  return best;
}
