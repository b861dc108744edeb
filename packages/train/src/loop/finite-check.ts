import * as tf from '@tensorflow/tfjs-core';

export interface FiniteReport {
  /** Loss terms read back to numbers (all of them, finite or not, for logging). */
  values: Record<string, number>;
  /** Names of the non-finite loss terms. */
  badTerms: string[];
  /** Names of the variables whose gradient holds a NaN or ±Inf. */
  badGradients: string[];
}

/**
 * One optimiser's gradients with a probe for all of them (`Adam.nonFiniteProbe`): a scalar that
 * is 0 when every element is finite. The names are only computed when the probe says so.
 */
export interface ProbedGradients {
  probe: tf.Scalar;
  gradients: Readonly<Record<string, tf.Tensor>>;
}

/**
 * Reads every loss term and probes the gradients for NaN/Inf in ONE device read-back
 * (asynchronous, so it works on every backend). `gradients` is either a record, probed one
 * tensor at a time with Σ(g·0) (0 for a finite tensor, NaN as soon as one element is NaN or ±Inf,
 * which unlike max|g| also catches NaN on backends whose max skips NaN), or groups with one probe
 * each (a few kernels for the whole model); a bad group is then probed per tensor, in a second
 * read-back, only to name the culprits.
 */
export async function checkFinite(
  terms: Readonly<Record<string, tf.Scalar>>,
  gradients: Readonly<Record<string, tf.Tensor>> | readonly ProbedGradients[],
): Promise<FiniteReport> {
  const termNames = Object.keys(terms);
  const groups = isProbed(gradients) ? gradients : null;
  const gradNames = groups ? [] : Object.keys(gradients);
  const flat = tf.tidy(() =>
    tf.stack([
      ...termNames.map((n) => tf.cast(terms[n]!, 'float32')),
      ...(groups
        ? groups.map((g) => tf.cast(g.probe, 'float32'))
        : gradNames.map((n) => sumTimesZero((gradients as Record<string, tf.Tensor>)[n]!))),
    ]),
  );
  // Asynchronous read-back: WebGPU in Node has no synchronous path (it needs OffscreenCanvas).
  const data = await flat.data();
  flat.dispose();
  const values: Record<string, number> = {};
  const badTerms: string[] = [];
  const badGradients: string[] = [];
  termNames.forEach((n, i) => {
    values[n] = data[i]!;
    if (!Number.isFinite(data[i]!)) badTerms.push(n);
  });
  if (!groups) {
    gradNames.forEach((n, i) => {
      if (!Number.isFinite(data[termNames.length + i]!)) badGradients.push(n);
    });
  } else {
    for (const [i, group] of groups.entries()) {
      if (data[termNames.length + i] === 0) continue;
      badGradients.push(...(await checkFinite({}, group.gradients)).badGradients);
    }
  }
  return { values, badTerms, badGradients };
}

function isProbed(
  g: Readonly<Record<string, tf.Tensor>> | readonly ProbedGradients[],
): g is readonly ProbedGradients[] {
  return Array.isArray(g);
}

function sumTimesZero(g: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(g, 0));
}

/** One line naming what went wrong, for the log. */
export function describeProblem(report: FiniteReport, side: string): string | null {
  if (report.badTerms.length === 0 && report.badGradients.length === 0) return null;
  const parts: string[] = [];
  if (report.badTerms.length)
    parts.push(`non-finite loss term(s) ${report.badTerms.map((t) => `${side}.${t}`).join(', ')}`);
  if (report.badGradients.length) {
    const shown = report.badGradients.slice(0, 5).join(', ');
    const more =
      report.badGradients.length > 5 ? ` and ${report.badGradients.length - 5} more` : '';
    parts.push(`non-finite gradient of ${shown}${more}`);
  }
  return parts.join('; ');
}
