import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@th/backend';

/**
 * Test support (not exported by the package): compare analytic gradients with central finite
 * differences along a random direction through all given variables at once:
 *
 *   analytic = sum_i <dS/dv_i, d_i>,   numeric = (S(v + h d) - S(v - h d)) / 2h.
 *
 * Piecewise-linear activations (ReLU, leaky ReLU) make S non-smooth at kinks; a finite difference
 * that steps over a kink is wrong even though the analytic gradient is right. Such a step is
 * detected by comparing the differences at h and h/2 (they agree to O(h^2) on smooth pieces), and
 * a new direction is drawn (at most `attempts` times).
 */
export interface GradCheck {
  analytic: number;
  numeric: number;
  /** |analytic - numeric| / max(|analytic|, |numeric|, floor). */
  relError: number;
}

export interface GradCheckOptions {
  step?: number;
  seed?: number;
  attempts?: number;
  /** Agreement required between the h and h/2 differences to trust them (relative). */
  smoothTolerance?: number;
  /** Lower bound of the denominator of relError. */
  floor?: number;
}

export function directionalGradCheck(
  scalar: () => tf.Scalar,
  variables: tf.Variable[],
  options: GradCheckOptions = {},
): GradCheck {
  const h = options.step ?? 1e-3;
  const rng = createRng(options.seed ?? 1);
  const floor = options.floor ?? 1e-3;
  const originals = variables.map((v) => tf.clone(v));
  const evaluate = (direction: tf.Tensor[], t: number): number => {
    variables.forEach((v, i) => {
      v.assign(tf.tidy(() => tf.add(originals[i]!, tf.mul(direction[i]!, t))));
    });
    const value = tf.tidy(() => scalar().dataSync()[0]!);
    for (const [i, v] of variables.entries()) v.assign(originals[i]!);
    return value;
  };
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
  let last: GradCheck | null = null;
  try {
    for (let attempt = 0; attempt < (options.attempts ?? 4); attempt++) {
      const direction = variables.map((v) => tf.tensor(rng.normalArray(v.size), v.shape));
      const analytic = tf.tidy(() => {
        const { grads } = tf.variableGrads(scalar, variables);
        let sum = 0;
        variables.forEach((v, i) => {
          const g = grads[v.name];
          if (g) sum += tf.sum(tf.mul(g, direction[i]!)).dataSync()[0]!;
        });
        return sum;
      });
      const coarse = (evaluate(direction, h) - evaluate(direction, -h)) / (2 * h);
      const fine = (evaluate(direction, h / 2) - evaluate(direction, -h / 2)) / h;
      tf.dispose(direction);
      last = { analytic, numeric: fine, relError: rel(analytic, fine) };
      if (rel(coarse, fine) <= (options.smoothTolerance ?? 1e-2)) return last;
    }
    return last!;
  } finally {
    tf.dispose(originals);
  }
}

/** A fixed random weighting w of an output, so that S = sum(y * w) probes every output element. */
export function randomWeights(shape: number[], seed = 7): tf.Tensor {
  return tf.tensor(createRng(seed).normalArray(shape.reduce((a, b) => a * b, 1)), shape);
}

/**
 * The scalars for first-order and nested (R1-style) checks of a layer `f` at input variable x:
 *   first(x)  = sum(f(x) * w)
 *   nested(x) = sum((d first / dx)^2)   (the R1 penalty's form)
 */
export function checkScalars(f: (x: tf.Tensor) => tf.Tensor, x: tf.Variable) {
  const outShape = tf.tidy(() => f(x).shape);
  const w = randomWeights(outShape);
  const first = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(input), w));
  return {
    first: () => first(x),
    nested: () => tf.sum(tf.square(tf.grad(first)(x))) as tf.Scalar,
    dispose: () => w.dispose(),
  };
}

/** A trainable variable holding N(0,1) values of the given shape (an input to differentiate). */
export function randomVariable(shape: number[], seed = 3): tf.Variable {
  return tf.variable(
    tf.tensor(createRng(seed).normalArray(shape.reduce((a, b) => a * b, 1)), shape),
  );
}
