import type * as tf from '@tensorflow/tfjs-core';

/**
 * Step for functions of many ReLU/leaky-ReLU units (a network and its R1 term). A stencil of
 * +-h N(0,1) per coordinate straddles some unit's kink unless h is small; the kink retry cannot
 * help once nearly every direction straddles one. On LSR-like blocks 3e-2 gave relative errors
 * of 1e-1 while 1e-3 (float32 noise ~1e-4 there) passes at 5e-3.
 */
export const NETWORK_STEP = 1e-3;

export interface GradientCheckOptions {
  /**
   * Base step h along each direction (directions have N(0,1) entries, so every coordinate moves
   * by about h). Default 3e-2: with Richardson extrapolation the truncation error is O(h^4),
   * while float32 round-off grows like eps*|f|/h; for O(1) inputs 3e-2 measured ~10x more
   * accurate than 1e-2 (1e-5..1e-4 relative). For functions that JUMP where a unit crosses a
   * kink (a network's R1 contains leakyRelu', a step function) use ~1e-3..3e-3 so the stencil
   * rarely straddles a jump.
   */
  step?: number;
  /** Number of random directions (default 3). */
  directions?: number;
  /** Seed of the directions (default 1). */
  seed?: number;
  /** Combine steps h and h/2 by Richardson extrapolation (default true); else use D(h/2). */
  richardson?: boolean;
  /** Absolute scale below which differences count as noise in relative errors (default 1e-4). */
  floor?: number;
  /** Variables f reads through its closure (module weights): checked along with the inputs. */
  variables?: tf.Variable[];
  /** Draws per direction while D(h) and D(h/2) disagree, i.e. at kinks (default 4). */
  attempts?: number;
  /** Relative agreement of D(h) and D(h/2) that counts as smooth (default 1e-2). */
  smoothTolerance?: number;
  /** When set, a relative error above it (or NaN) throws an error describing the mismatch. */
  tolerance?: number;
  /**
   * On failure, the whole gradient is computed elementwise by finite differences to name the
   * worst element, if the point has at most this many elements (default 512).
   */
  localizeLimit?: number;
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
  /** Directions drawn again because D(h) and D(h/2) disagreed (the stencil crossed a kink). */
  redrawn: number;
}

export type ResolvedOptions = Required<Omit<GradientCheckOptions, 'tolerance'>> & {
  tolerance: number | undefined;
};

function positive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v))
    throw new Error(`gradient check: ${name} must be a finite number > 0, got ${v}`);
  return v;
}

function count(name: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min)
    throw new Error(`gradient check: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** Defaults filled in; every number checked so that a typo fails loudly, not silently. */
export function resolveOptions(opts: GradientCheckOptions): ResolvedOptions {
  return {
    step: positive('step', opts.step ?? 3e-2),
    directions: count('directions', opts.directions ?? 3, 1),
    seed: opts.seed ?? 1,
    richardson: opts.richardson ?? true,
    floor: positive('floor', opts.floor ?? 1e-4),
    variables: opts.variables ?? [],
    attempts: count('attempts', opts.attempts ?? 4, 1),
    smoothTolerance: positive('smoothTolerance', opts.smoothTolerance ?? 1e-2),
    tolerance: opts.tolerance === undefined ? undefined : positive('tolerance', opts.tolerance),
    localizeLimit: count('localizeLimit', opts.localizeLimit ?? 512, 0),
  };
}
