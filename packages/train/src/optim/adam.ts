import * as tf from '@tensorflow/tfjs-core';

export interface AdamOptions {
  /** Default learning rate when `apply` gets none (LSR: 1e-3; usually the schedule supplies it). */
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Clip every gradient element to [-clip, clip] before the update; null disables (LSR: 1). */
  clipValue?: number | null;
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
 */
export class Adam {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly clipValue: number | null;
  private stepCount = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly variables: Readonly<Record<string, tf.Variable>>,
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

  /** One update from gradients keyed by variable name (e.g. from `tf.variableGrads`, re-keyed). */
  apply(gradients: Readonly<Record<string, tf.Tensor>>, learningRate = this.learningRate): void {
    if (!(learningRate >= 0) || !Number.isFinite(learningRate))
      throw new Error(`Adam.apply: learning rate must be finite and >= 0, got ${learningRate}`);
    for (const [name, g] of Object.entries(gradients)) {
      const variable = this.variables[name];
      if (!variable) throw new Error(`Adam.apply: gradient for unknown variable "${name}"`);
      if (g.shape.join() !== variable.shape.join()) {
        throw new Error(
          `Adam.apply: gradient "${name}" has shape [${g.shape}], variable has [${variable.shape}]`,
        );
      }
    }
    this.stepCount += 1;
    const t = this.stepCount;
    const stepSize = (learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    tf.tidy(() => {
      for (const [name, raw] of Object.entries(gradients)) {
        const g =
          this.clipValue === null ? raw : tf.clipByValue(raw, -this.clipValue, this.clipValue);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        const mNew = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
        const vNew = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        m.assign(mNew);
        v.assign(vNew);
        const update = tf.div(tf.mul(mNew, stepSize), tf.add(tf.sqrt(vNew), this.epsilon));
        this.variables[name]!.assign(tf.sub(this.variables[name]!, update));
      }
    });
  }

  /** Copies of the moments and the step count (the caller owns and disposes the tensors). */
  getState(): AdamState {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, m] of this.m) tensors[`m/${name}`] = tf.clone(m);
    for (const [name, v] of this.v) tensors[`v/${name}`] = tf.clone(v);
    return { step: this.stepCount, tensors };
  }

  /** Restore a state from `getState` (values copied; every moment must be present and match). */
  setState(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0)
      throw new Error(`Adam.setState: step must be an integer >= 0, got ${state.step}`);
    const expected = new Set([...this.m.keys()].flatMap((n) => [`m/${n}`, `v/${n}`]));
    for (const key of Object.keys(state.tensors)) {
      if (!expected.has(key)) throw new Error(`Adam.setState: unexpected tensor "${key}"`);
    }
    for (const key of expected) {
      const t = state.tensors[key];
      if (!t) throw new Error(`Adam.setState: missing tensor "${key}"`);
      const target = (key.startsWith('m/') ? this.m : this.v).get(key.slice(2))!;
      if (t.shape.join() !== target.shape.join())
        throw new Error(
          `Adam.setState: "${key}" has shape [${t.shape}], expected [${target.shape}]`,
        );
    }
    for (const key of expected) {
      const target = (key.startsWith('m/') ? this.m : this.v).get(key.slice(2))!;
      target.assign(state.tensors[key]!);
    }
    this.stepCount = state.step;
  }

  /** Free the moment variables (the optimised variables belong to the caller). */
  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
