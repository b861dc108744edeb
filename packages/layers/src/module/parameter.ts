import * as tf from '@tensorflow/tfjs-core';
import type { Initializer } from './initializers';

/**
 * One named, learnable tensor of a module. Its `tf.Variable` is created lazily: by
 * `Module.initialize(seed)` (random values from the seed and the parameter's full name) or by
 * `Module.loadStateDict` (values from a checkpoint, without paying for a random init first).
 */
export class Parameter {
  private variable: tf.Variable | null = null;
  private isTrainable = true;

  constructor(
    /** Local name inside its module, e.g. `weight`. */
    readonly name: string,
    readonly shape: readonly number[],
    readonly initializer: Initializer,
    /** Returns the dotted path of the owning module, for error messages. */
    private readonly ownerPath: () => string,
  ) {}

  /** Number of scalar elements. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  get isMaterialized(): boolean {
    return this.variable !== null;
  }

  /** The variable holding the value. Throws if the module tree was never initialised or loaded. */
  get value(): tf.Variable {
    if (!this.variable) {
      const owner = this.ownerPath();
      const where = owner ? `${owner}.${this.name}` : this.name;
      throw new Error(
        `parameter "${where}" has no value yet: call initialize(seed) or loadStateDict(...) on the root module first`,
      );
    }
    return this.variable;
  }

  get trainable(): boolean {
    return this.isTrainable;
  }

  set trainable(flag: boolean) {
    this.isTrainable = flag;
    if (this.variable) this.variable.trainable = flag;
  }

  /** Replace the value with `values` (copied into a new variable, or assigned into the old one). */
  setValue(values: tf.Tensor): void {
    if (!shapesEqual(values.shape, this.shape)) {
      throw new Error(
        `parameter "${this.name}": shape [${values.shape}] != expected [${this.shape}]`,
      );
    }
    // Assigning a variable its own data would free that data first (tfjs releases the old value
    // before taking the new one), so loading a module's own state dict must be a no-op.
    if (this.variable && values.dataId === this.variable.dataId) return;
    const asFloat = values.dtype === 'float32' ? values : tf.cast(values, 'float32');
    if (this.variable) {
      this.variable.assign(asFloat);
    } else {
      // tf.variable shares the tensor's data (ref-counted); the caller keeps ownership of `values`.
      this.variable = tf.variable(asFloat, this.isTrainable);
    }
    if (asFloat !== values) asFloat.dispose();
  }

  dispose(): void {
    this.variable?.dispose();
    this.variable = null;
  }
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
