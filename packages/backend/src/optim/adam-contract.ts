import * as tf from '@tensorflow/tfjs-core';

/** The constants of an Adam update (Keras form; see `MultiTensorAdam`). */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Clip every gradient element to [-clip, clip] first; null: no clipping. */
  clipValue: number | null;
}

/**
 * Adam over many variables at once, with the moments in flat storage (one buffer each for m and
 * v on the GPU) and the whole update in a handful of dispatches instead of a dozen kernels per
 * variable. The update is Keras' (`ResourceApplyAdam`), element for element:
 *
 *   g ← clip(g·gradScale, −c, c);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   θ ← θ − (m · s) / (√v + ε),   s = lr·√(1−β2^t)/(1−β1^t) (the caller's `stepSize`)
 *
 * Variables whose gradient is null keep their value and moments.
 */
export interface MultiTensorAdam {
  /** Which implementation runs ('webgpu': WGSL kernels; 'cpu': typed arrays on the cpu backend). */
  readonly kind: 'webgpu' | 'cpu';
  /**
   * A scalar that is 0 when every element of every gradient is finite, and nonzero (or not
   * finite) otherwise: one value to read back instead of one per variable. On WebGPU it also
   * stages the gradients for a following `step` with the same tensors (no second copy).
   */
  nonFiniteProbe(grads: ReadonlyArray<tf.Tensor | null>): tf.Scalar;
  /**
   * One update; `grads[i]` belongs to `variables[i]` (null: leave that variable alone). Each
   * gradient is first multiplied by `gradScale` (default 1; 1/loss scale under mixed precision).
   */
  step(grads: ReadonlyArray<tf.Tensor | null>, stepSize: number, gradScale?: number): void;
  /** A copy of the first (`m`) or second (`v`) moment of variable `index`, shaped like it. */
  moment(which: 'm' | 'v', index: number): tf.Tensor;
  /** Overwrite a moment (values copied). */
  setMoment(which: 'm' | 'v', index: number, value: tf.Tensor): void;
  /** Free the flat storage (the variables belong to the caller). */
  dispose(): void;
  /** Updates the GPU runs without the CPU (captured training steps); null off WebGPU. */
  readonly device: DeviceAdamSteps | null;
}

/**
 * The parts of a multi-tensor Adam that a captured training step (`captureGraph`) records: the
 * per-step scalars and the decision to update live on the GPU, so a replay needs no CPU value.
 */
export interface DeviceAdamSteps {
  /**
   * Give every variable a buffer of its own (one shared with another tensor or a constant
   * would be re-pointed by the next update instead of written in place) and bring the flat
   * parameters up to date with every variable whose data changed hands since the last update
   * (a checkpoint load), so that a capture that follows records neither.
   */
  syncParameters(): void;
  /**
   * One update whose step size and gradient scale are read on the GPU from `control`
   * (float32 [2]: stepSize, gradScale) and which leaves parameters and moments unchanged
   * unless `gate` (int32 scalar) is 0. Uses the gradients a `nonFiniteProbe` of the same
   * tensors staged, else stages them.
   */
  gatedStep(grads: ReadonlyArray<tf.Tensor | null>, control: tf.Tensor, gate: tf.Tensor): void;
  /** A copy of variable `index`'s gradient as the last probe or update staged it (zeros if none). */
  stagedGradient(index: number): tf.Tensor;
}

export function checkConstants(c: AdamConstants): void {
  if (!(c.beta1 >= 0 && c.beta1 < 1 && c.beta2 >= 0 && c.beta2 < 1))
    throw new Error(`multi-tensor Adam: betas must lie in [0, 1), got ${c.beta1}, ${c.beta2}`);
  if (!(c.epsilon > 0)) throw new Error(`multi-tensor Adam: epsilon must be > 0`);
  if (c.clipValue !== null && !(c.clipValue > 0))
    throw new Error(`multi-tensor Adam: clipValue must be > 0 or null, got ${c.clipValue}`);
}

/** Throws unless `grads` has one entry per variable, each null or shaped like its variable. */
export function checkGradients(
  variables: readonly tf.Variable[],
  grads: ReadonlyArray<tf.Tensor | null>,
  backend: string,
): void {
  if (tf.getBackend() !== backend)
    throw new Error(
      `multi-tensor Adam was created on the ${backend} backend, but ${tf.getBackend()} is active`,
    );
  if (grads.length !== variables.length)
    throw new Error(
      `multi-tensor Adam: ${grads.length} gradients for ${variables.length} variables`,
    );
  grads.forEach((g, i) => {
    const v = variables[i]!;
    if (g && g.shape.join() !== v.shape.join())
      throw new Error(
        `multi-tensor Adam: gradient ${i} has shape [${g.shape}], variable "${v.name}" has [${v.shape}]`,
      );
  });
}
