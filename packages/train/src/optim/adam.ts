import * as tf from '@tensorflow/tfjs-core';
import {
  createMultiTensorAdam,
  type DeviceAdamSteps,
  type MultiTensorAdam,
  perVariableAdamStep,
} from '@th/backend';

export interface AdamOptions {
  /** Default learning rate when `apply` gets none (LSR: 1e-3; usually the schedule supplies it). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Clip every gradient element to [-clip, clip] before the update; null disables (LSR: 1). */
  clipValue?: number | null;
  /**
   * Update all variables at once with @th/backend's multi-tensor Adam where the backend has one
   * (webgpu: a few WGSL dispatches per step; cpu: a flat loop, bit-identical to the per-variable
   * ops), else one small tfjs op chain per variable. Default true.
   */
  fused?: boolean;
}

/** Optimiser state for exact resume: moments named `m/<var>` and `v/<var>`, plus the step count. */
export interface AdamState {
  step: number;
  tensors: Record<string, tf.Tensor>;
}

/**
 * Adam (Kingma & Ba 2015) in the form TF/Keras apply it (`ResourceApplyAdam`), which LSR trained
 * with (docs/design.md#schedule: lr 1e-3, β1 0, β2 0.999, ε 1e-7, gradients clipped element-wise to
 * ±1 first):
 *
 *   g ← clip(g, −c, c);  t ← t + 1
 *   m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²
 *   θ ← θ − lr·√(1−β2^t)/(1−β1^t) · m / (√v + ε)
 *
 * Note ε is added to the uncorrected √v (Keras), unlike tfjs' AdamOptimizer which adds it to the
 * bias-corrected one. Variables without a gradient this step keep their moments (as in Keras).
 *
 * With `fused` (default) the moments live in @th/backend's multi-tensor Adam (flat buffers)
 * instead of one pair of tf.Variables per parameter; `getState`/`setState` expose the same named
 * tensors either way, so checkpoints do not depend on it.
 */
export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly clipValue: number | null;
  private stepCount = 0;
  private readonly names: string[];
  /** The multi-tensor engine, or null: per-variable moments in `m`/`v`. */
  private readonly engine: MultiTensorAdam | null;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    /** The optimised variables by name (they belong to the caller). */
    readonly variables: Readonly<Record<string, tf.Variable>>,
    options: AdamOptions = {},
  ) {
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.clipValue = options.clipValue === undefined ? 1 : options.clipValue;
    if (!(this.beta1 >= 0 && this.beta1 < 1 && this.beta2 >= 0 && this.beta2 < 1)) {
      throw new Error(`Adam: betas must lie in [0, 1), got ${this.beta1}, ${this.beta2}`);
    }
    if (!(this.epsilon > 0) || !(this.learningRate >= 0))
      throw new Error('Adam: epsilon must be > 0 and learningRate >= 0');
    if (this.clipValue !== null && !(this.clipValue > 0))
      throw new Error(`Adam: clipValue must be > 0 or null, got ${this.clipValue}`);
    this.names = Object.keys(variables);
    this.engine =
      options.fused === false
        ? null
        : createMultiTensorAdam(Object.values(variables), this.constants());
    if (this.engine) return;
    for (const [name, variable] of Object.entries(variables)) {
      // tidy frees the zerosLike temporaries; the variables (never tracked by tidy) survive.
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
      );
    }
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.stepCount;
  }

  /** 'multi-tensor' when the backend's fused update runs, else 'per-variable'. */
  get implementation(): 'multi-tensor' | 'per-variable' {
    return this.engine ? 'multi-tensor' : 'per-variable';
  }

  /**
   * A scalar that is 0 when every gradient element is finite and nonzero or NaN otherwise, in a
   * few kernels (the multi-tensor probe, which also stages the gradients for the following
   * `apply`), instead of one reduction per variable. The caller reads it back and disposes it.
   */
  nonFiniteProbe(gradients: Readonly<Record<string, tf.Tensor>>): tf.Scalar {
    this.checkGradients(gradients);
    if (this.engine) return this.engine.nonFiniteProbe(this.ordered(gradients));
    // Σ over variables of Σ(g·0): 0 when finite, NaN otherwise. Stacked, not addN: tfjs-webgpu's
    // AddN binds every input at once and fails beyond 8 storage buffers.
    const gs = Object.values(gradients);
    if (gs.length === 0) return tf.scalar(0);
    return tf.tidy(() => tf.sum(tf.stack(gs.map((g) => tf.sum(tf.mul(g, 0))))) as tf.Scalar);
  }

  /**
   * One update from gradients keyed by variable name (e.g. from `tf.variableGrads`, re-keyed).
   * `gradScale` multiplies every gradient first (1/loss scale under mixed precision, folded into
   * the update: no extra kernels).
   */
  apply(
    gradients: Readonly<Record<string, tf.Tensor>>,
    learningRate = this.learningRate,
    gradScale = 1,
  ): void {
    if (!(learningRate >= 0) || !Number.isFinite(learningRate))
      throw new Error(`Adam.apply: learning rate must be finite and >= 0, got ${learningRate}`);
    if (!(gradScale > 0) || !Number.isFinite(gradScale))
      throw new Error(`Adam.apply: gradient scale must be finite and > 0, got ${gradScale}`);
    this.checkGradients(gradients);
    const stepSize = this.nextStepSize(learningRate);
    this.stepCount += 1;
    if (this.engine) {
      this.engine.step(this.ordered(gradients), stepSize, gradScale);
      return;
    }
    const constants = this.constants();
    for (const [name, raw] of Object.entries(gradients)) {
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      perVariableAdamStep(this.variables[name]!, m, v, raw, stepSize, constants, gradScale);
    }
  }

  /**
   * The bias-corrected step size lr·√(1−β2^t)/(1−β1^t) of the next update (t = step + 1), which
   * `apply` computes itself and a captured step passes to `applyOnDevice` as a graph input.
   */
  nextStepSize(learningRate: number): number {
    const t = this.stepCount + 1;
    return (learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
  }

  /**
   * The multi-tensor engine's GPU-side updates (WebGPU only), or null: captured training steps
   * need them (`applyOnDevice`).
   */
  get deviceSteps(): DeviceAdamSteps | null {
    return this.engine?.device ?? null;
  }

  /**
   * One update decided and parametrised on the GPU, for captured training steps: the step size
   * and gradient scale are read from `control` (float32 [stepSize, gradScale], see
   * `nextStepSize`) and nothing changes unless `gate` (int32 scalar) is 0. The step count does
   * not move: the caller reads back whether the update happened and then calls
   * `countDeviceStep`.
   */
  applyOnDevice(
    gradients: Readonly<Record<string, tf.Tensor>>,
    control: tf.Tensor,
    gate: tf.Tensor,
  ): void {
    const device = this.deviceSteps;
    if (!device) throw new Error('Adam.applyOnDevice: needs the multi-tensor Adam on webgpu');
    this.checkGradients(gradients);
    device.gatedStep(this.ordered(gradients), control, gate);
  }

  /** Count an update that `applyOnDevice` made (the read-back said the gate was open). */
  countDeviceStep(): void {
    this.stepCount += 1;
  }

  /** Copies of the gradients the last update staged, by name (captured steps name bad ones). */
  stagedGradients(): Record<string, tf.Tensor> {
    const device = this.deviceSteps;
    if (!device) throw new Error('Adam.stagedGradients: needs the multi-tensor Adam on webgpu');
    return Object.fromEntries(this.names.map((n, i) => [n, device.stagedGradient(i)]));
  }

  /** Copies of the moments and the step count (the caller owns and disposes the tensors). */
  getState(): AdamState {
    const tensors: Record<string, tf.Tensor> = {};
    if (this.engine) {
      const engine = this.engine;
      this.names.forEach((name, i) => {
        tensors[`m/${name}`] = engine.moment('m', i);
      });
      this.names.forEach((name, i) => {
        tensors[`v/${name}`] = engine.moment('v', i);
      });
      return { step: this.stepCount, tensors };
    }
    for (const [name, m] of this.m) tensors[`m/${name}`] = tf.clone(m);
    for (const [name, v] of this.v) tensors[`v/${name}`] = tf.clone(v);
    return { step: this.stepCount, tensors };
  }

  /** Restore a state from `getState` (values copied; every moment must be present and match). */
  setState(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0)
      throw new Error(`Adam.setState: step must be an integer >= 0, got ${state.step}`);
    const expected = new Set(this.names.flatMap((n) => [`m/${n}`, `v/${n}`]));
    for (const key of Object.keys(state.tensors)) {
      if (!expected.has(key)) throw new Error(`Adam.setState: unexpected tensor "${key}"`);
    }
    for (const key of expected) {
      const t = state.tensors[key];
      if (!t) throw new Error(`Adam.setState: missing tensor "${key}"`);
      const shape = this.variables[key.slice(2)]!.shape;
      if (t.shape.join() !== shape.join())
        throw new Error(`Adam.setState: "${key}" has shape [${t.shape}], expected [${shape}]`);
    }
    this.names.forEach((name, i) => {
      for (const which of ['m', 'v'] as const) {
        const value = state.tensors[`${which}/${name}`]!;
        if (this.engine) this.engine.setMoment(which, i, value);
        else (which === 'm' ? this.m : this.v).get(name)!.assign(value);
      }
    });
    this.stepCount = state.step;
  }

  /** Free the moment variables (the optimised variables belong to the caller). */
  dispose(): void {
    this.engine?.dispose();
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }

  private constants() {
    return {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      clipValue: this.clipValue,
    };
  }

  private checkGradients(gradients: Readonly<Record<string, tf.Tensor>>): void {
    for (const [name, g] of Object.entries(gradients)) {
      const variable = this.variables[name];
      if (!variable) throw new Error(`Adam.apply: gradient for unknown variable "${name}"`);
      if (g.shape.join() !== variable.shape.join()) {
        throw new Error(
          `Adam.apply: gradient "${name}" has shape [${g.shape}], variable has [${variable.shape}]`,
        );
      }
    }
  }

  /** Gradients in variable order, null where a variable has none this step. */
  private ordered(gradients: Readonly<Record<string, tf.Tensor>>): Array<tf.Tensor | null> {
    return this.names.map((n) => gradients[n] ?? null);
  }
}
