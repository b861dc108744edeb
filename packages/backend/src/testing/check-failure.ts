import type * as tf from '@tensorflow/tfjs-core';
import type { CheckPoint } from './check-point';
import type { ScalarFn } from './finite-diff';
import type { GradientCheck, ResolvedOptions } from './gradient-check-types';
import { numericGradient, worstElement } from './numeric-gradient';

const fmt = (v: number) => v.toPrecision(6);

/**
 * The message of a failed gradient check: the pooled error against the tolerance, every
 * direction's analytic and numeric derivative, and the worst element (largest
 * |analytic - numeric|) when the point is small enough to difference element by element.
 */
export async function describeFailure(
  f: ScalarFn,
  xs: tf.Tensor[],
  point: CheckPoint,
  grads: readonly tf.Tensor[],
  check: GradientCheck,
  o: ResolvedOptions,
): Promise<string> {
  const lines = [
    `gradient check failed: relative error ${check.relError.toExponential(3)} > tolerance ` +
      `${o.tolerance} (${check.analytic.length} directions, step ${o.step}, ` +
      `${check.redrawn} redrawn at kinks)`,
    ...check.analytic.map(
      (a, i) =>
        `  direction ${i}: analytic ${fmt(a)} vs numeric ${fmt(check.numeric[i] as number)}`,
    ),
  ];
  const elements = point.slots.reduce((n, s) => n + s.size, 0);
  if (elements > o.localizeLimit) {
    lines.push(
      `  worst element not located: ${elements} elements > localizeLimit ${o.localizeLimit}`,
    );
    return lines.join('\n');
  }
  const numeric = await numericGradient(f, xs, {
    step: o.step,
    richardson: o.richardson,
    variables: o.variables,
  });
  const analytic = await Promise.all(grads.map((g) => g.data()));
  const shapes = point.slots.map((s) => s.shape);
  const w = worstElement(analytic, numeric, point.labels, shapes, o.floor);
  lines.push(
    `  worst element: ${w.slot} [${w.index.join(',')}]: analytic ${fmt(w.analytic)} vs ` +
      `numeric ${fmt(w.numeric)} (rel. error ${w.relError.toExponential(3)})`,
  );
  return lines.join('\n');
}
