import * as tf from '@tensorflow/tfjs-core';
// tfjs' own x→y tape filter (a pure function), bundled like register_all_gradients.
import { getFilteredNodesXToY } from '@tensorflow/tfjs-core/dist/tape';

interface TapeNode {
  id: number;
  kernelName: string;
  outputs: tf.Tensor[];
  inputs: Record<string, tf.Tensor>;
  gradient?: (dys: Array<tf.Tensor | null>) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(name: string | (() => T), f?: () => T): T;
  gradients<T extends tf.Tensor>(
    f: () => T,
    xs: tf.Tensor[],
    dy?: T,
    allowNoGradients?: boolean,
  ): { value: T; grads: tf.Tensor[] };
}

let original: EngineInternals['gradients'] | null = null;

/**
 * Replace tfjs' `engine.gradients` with one that frees memory as the backward pass goes.
 *
 * tfjs keeps every intermediate gradient (one per recorded tensor, as large as the activations)
 * and every tensor saved for the backward pass alive until the whole backward pass ends, so a
 * training step peaks at about activations + all their gradients. PyTorch frees both as soon as
 * the node that needs them has run. This version does the same: after a node's input gradients
 * are computed, the gradients of its outputs are disposed (unless they are requested results
 * or still held under another tensor's entry), and, in an outermost gradient (no tape recording
 * it for a higher order), the node's saved tensors too. The arithmetic is tfjs' own, in the same
 * order: values are bit-identical; only the peak memory drops.
 *
 * Nested gradients (R1/R2) keep their saved tensors until the outer backward pass, which
 * differentiates through them, has used them, exactly as tfjs does.
 */
export function installEarlyFreeGradients(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (original) return;
  original = engine.gradients;
  engine.gradients = function gradients<T extends tf.Tensor>(
    this: EngineInternals,
    f: () => T,
    xs: tf.Tensor[],
    dy?: T,
    allowNoGradients = false,
  ) {
    if (xs.length === 0) throw new Error('gradients() received an empty list of xs.');
    if (dy != null && dy.dtype !== 'float32')
      throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = this.scopedRun(
      () => this.startTape(),
      () => this.endTape(),
      () => this.tidy('forward', f),
    );
    if (!(y instanceof tf.Tensor))
      throw new Error('The result y returned by f() must be a tensor.');
    const tape = getFilteredNodesXToY(this.state.activeTape as never, xs, y) as TapeNode[];
    if (!allowNoGradients && tape.length === 0 && xs.length > 0)
      throw new Error(
        'Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.',
      );
    return this.tidy('backward', () => {
      const outermost = this.state.gradientDepth === 0;
      const wanted = new Set(xs.map((x) => x.id));
      const grads = new Map<number, tf.Tensor>();
      // How many entries of `grads` hold each tensor object (a gradient function may return its
      // dy unchanged, so one tensor can be the gradient of several tensors).
      const holders = new Map<tf.Tensor, number>();
      const hold = (id: number, t: tf.Tensor) => {
        grads.set(id, t);
        holders.set(t, (holders.get(t) ?? 0) + 1);
      };
      const release = (id: number) => {
        const t = grads.get(id);
        if (!t) return;
        grads.delete(id);
        const left = (holders.get(t) ?? 1) - 1;
        if (left > 0) holders.set(t, left);
        else {
          holders.delete(t);
          t.dispose();
        }
      };
      hold(y.id, dy ?? tf.ones(y.shape));
      for (let i = tape.length - 1; i >= 0; i--) {
        const node = tape[i]!;
        const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
        if (node.gradient == null)
          throw new Error(
            `Cannot compute gradient: gradient function not found for ${node.kernelName}.`,
          );
        const inputGradients = node.gradient(dys);
        for (const inputName in node.inputs) {
          if (!(inputName in inputGradients))
            throw new Error(
              `Cannot backprop through input ${inputName}. Available gradients found: ${Object.keys(inputGradients)}.`,
            );
          const dx = this.tidy(() => inputGradients[inputName]!());
          if (dx.dtype !== 'float32')
            throw new Error(
              `Error in gradient for op ${node.kernelName}. The gradient of input ${inputName} must have 'float32' dtype, but has '${dx.dtype}'`,
            );
          const x = node.inputs[inputName]!;
          if (!tf.util.arraysEqual(dx.shape, x.shape))
            throw new Error(
              `Error in gradient for op ${node.kernelName}. The gradient of input '${inputName}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`,
            );
          const current = grads.get(x.id);
          if (current == null) hold(x.id, dx);
          else {
            const sum = tf.add(current, dx);
            release(x.id);
            hold(x.id, sum);
          }
        }
        // This node was the last reader of its outputs' gradients (the tape is topologically
        // ordered), and, at the outermost level, of the tensors it saved.
        for (const o of node.outputs) if (!wanted.has(o.id)) release(o.id);
        if (outermost && node.saved) {
          for (const t of node.saved) t.dispose();
          node.saved = [];
        }
      }
      const result = xs.map((x) => grads.get(x.id) as tf.Tensor);
      if (outermost) {
        for (const node of this.state.activeTape ?? [])
          for (const t of node.saved ?? []) t.dispose();
        this.state.activeTape = null;
      }
      return { value: y, grads: result };
    });
  } as EngineInternals['gradients'];
}

/** Put tfjs' own `engine.gradients` back (for before/after measurements). */
export function uninstallEarlyFreeGradients(): void {
  if (!original) return;
  (tf.engine() as unknown as EngineInternals).gradients = original;
  original = null;
}

/** Run `fn` with tfjs' own `engine.gradients` (tests compare the two). */
export function withTfjsGradients<T>(fn: () => T): T {
  const engine = tf.engine() as unknown as EngineInternals;
  if (!original) return fn();
  const ours = engine.gradients;
  engine.gradients = original;
  try {
    return fn();
  } finally {
    engine.gradients = ours;
  }
}
