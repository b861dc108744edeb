import * as tf from '@tensorflow/tfjs-core';
import { type Initializer, parameterRng } from './initializers';
import { Parameter } from './parameter';
import { type LoadStateDictOptions, loadStateDictInto } from './state-dict';

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Base class of every layer and network: a node in a tree of named parameters and child modules.
 *
 * - Names form dotted paths (`enc.block3.conv1.weight`) relative to the module asked.
 * - `initialize(seed)` fills each parameter from a generator seeded by hash(seed, full name), so
 *   values depend only on the seed and the tree's names, not on construction order.
 * - `stateDict()` / `loadStateDict()` save and restore by name; `freeze()` / `unfreeze()` set
 *   trainable flags; `train()` / `eval()` set a mode flag for layers that need one.
 * Layers add their own `forward(...)`; the base class imposes no call signature.
 */
export class Module {
  private readonly ownParams = new Map<string, Parameter>();
  private readonly children = new Map<string, Module>();
  private parent: Module | null = null;
  private nameInParent = '';
  private isTraining = true;

  /** Register a parameter of this module. Its value exists after `initialize` or `loadStateDict`. */
  protected param(name: string, shape: readonly number[], initializer: Initializer): Parameter {
    this.checkNewName(name);
    if (!shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new Error(`${this.describe()}: parameter "${name}" has invalid shape [${shape}]`);
    }
    const p = new Parameter(name, [...shape], initializer, () => this.path());
    this.ownParams.set(name, p);
    return p;
  }

  /** Register `module` as a child called `name`; returns it, for `this.conv = this.child(...)`. */
  protected child<M extends Module>(name: string, module: M): M {
    this.checkNewName(name);
    if (module.parent) {
      throw new Error(`${this.describe()}: module "${name}" already belongs to "${module.path()}"`);
    }
    module.parent = this;
    module.nameInParent = name;
    module.isTraining = this.isTraining;
    this.children.set(name, module);
    return module;
  }

  /** Dotted path from the root of the tree this module is in ('' for a root). */
  path(): string {
    if (!this.parent) return '';
    const up = this.parent.path();
    return up ? `${up}.${this.nameInParent}` : this.nameInParent;
  }

  /** Every parameter below this module as [dotted name, parameter], depth first, in order. */
  namedParameters(prefix = ''): Array<[string, Parameter]> {
    const out: Array<[string, Parameter]> = [];
    for (const [name, p] of this.ownParams) out.push([prefix + name, p]);
    for (const [name, m] of this.children) out.push(...m.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** Direct children as [name, module]. */
  namedChildren(): Array<[string, Module]> {
    return [...this.children];
  }

  /** Fill every parameter from `seed` and its full name (relative to this module). Returns this. */
  initialize(seed: number): this {
    for (const [name, p] of this.namedParameters()) {
      const values = p.initializer(parameterRng(seed, name), p.size);
      tf.tidy(() => p.setValue(tf.tensor(values, [...p.shape], 'float32')));
    }
    return this;
  }

  /** Number of scalar parameters (optionally only trainable ones). Needs no initialisation. */
  numParams(options: { trainableOnly?: boolean } = {}): number {
    return this.namedParameters()
      .filter(([, p]) => !options.trainableOnly || p.trainable)
      .reduce((sum, [, p]) => sum + p.size, 0);
  }

  /** The variables an optimiser should update (trainable parameters). */
  trainableVariables(): tf.Variable[] {
    return this.namedParameters()
      .filter(([, p]) => p.trainable)
      .map(([, p]) => p.value);
  }

  /** Mark every parameter below this module as not trainable. Returns this. */
  freeze(): this {
    for (const [, p] of this.namedParameters()) p.trainable = false;
    return this;
  }

  /** Mark every parameter below this module as trainable. Returns this. */
  unfreeze(): this {
    for (const [, p] of this.namedParameters()) p.trainable = true;
    return this;
  }

  /** Set training mode on this module and all children. Returns this. */
  train(mode = true): this {
    this.isTraining = mode;
    for (const m of this.children.values()) m.train(mode);
    return this;
  }

  /** Equivalent to `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  get training(): boolean {
    return this.isTraining;
  }

  /**
   * Parameter values by dotted name. The tensors are the live variables (no copies): read them
   * (e.g. `await t.data()`) or serialise them, but do not dispose them.
   */
  stateDict(): Record<string, tf.Tensor> {
    const dict: Record<string, tf.Tensor> = {};
    for (const [name, p] of this.namedParameters()) dict[name] = p.value;
    return dict;
  }

  /**
   * Copy values by name into this module's parameters. `strict` (default) rejects missing and
   * unexpected names; a wrong shape is always an error. One error lists every problem found, and
   * nothing is changed when there is one. The caller keeps ownership of the given tensors.
   */
  loadStateDict(dict: Record<string, tf.Tensor>, options: LoadStateDictOptions = {}): this {
    loadStateDictInto(this.namedParameters(), dict, options, this.describe());
    return this;
  }

  /** Free every parameter's memory. The module can be re-initialised or loaded afterwards. */
  dispose(): void {
    for (const [, p] of this.namedParameters()) p.dispose();
  }

  private checkNewName(name: string): void {
    if (!NAME_PATTERN.test(name)) {
      throw new Error(`${this.describe()}: invalid name "${name}" (letters, digits, _; no dots)`);
    }
    if (this.ownParams.has(name) || this.children.has(name)) {
      throw new Error(`${this.describe()}: name "${name}" is already used`);
    }
  }

  private describe(): string {
    const p = this.path();
    return p ? `${this.constructor.name} "${p}"` : this.constructor.name;
  }
}
