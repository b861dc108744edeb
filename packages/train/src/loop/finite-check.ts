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
 * Reads every loss term and probes every gradient for NaN/Inf in ONE device read-back (asynchronous, so it works on every backend). The probe
 * is Σ(g·0): it is 0 for a finite tensor and NaN as soon as one element is NaN or ±Inf (Inf·0 is
 * NaN), which unlike max|g| also catches NaN on backends whose max skips NaN.
 */
export async function checkFinite(
  terms: Readonly<Record<string, tf.Scalar>>,
  gradients: Readonly<Record<string, tf.Tensor>>,
): Promise<FiniteReport> {
  const termNames = Object.keys(terms);
  const gradNames = Object.keys(gradients);
  const flat = tf.tidy(() =>
    tf.stack([
      ...termNames.map((n) => tf.cast(terms[n]!, 'float32')),
      ...gradNames.map((n) => tf.sum(tf.mul(gradients[n]!, 0))),
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
  gradNames.forEach((n, i) => {
    if (!Number.isFinite(data[termNames.length + i]!)) badGradients.push(n);
  });
  return { values, badTerms, badGradients };
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
