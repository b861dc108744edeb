import * as tf from '@tensorflow/tfjs-core';
import { type AdamConstants, checkGradients, type MultiTensorAdam } from './adam-contract';
import { FlatLayout } from './flat-layout';

const f32 = Math.fround;

/**
 * Multi-tensor Adam on the cpu backend: the moments in two flat Float32Arrays, one loop per
 * variable. Every intermediate is rounded to float32 exactly where the per-variable tfjs ops
 * (clipByValue, mul, add, square, sqrt, div, sub with float32 scalars) round it, so the result
 * is bit-identical to them; this is also the reference the WebGPU kernels are tested against.
 */
export class CpuMultiTensorAdam implements MultiTensorAdam {
  readonly kind = 'cpu' as const;
  readonly device = null;
  private readonly layout: FlatLayout;
  private m: Float32Array;
  private v: Float32Array;

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly constants: AdamConstants,
  ) {
    this.layout = new FlatLayout(variables.map((v) => v.size));
    this.m = new Float32Array(this.layout.total);
    this.v = new Float32Array(this.layout.total);
  }

  nonFiniteProbe(grads: ReadonlyArray<tf.Tensor | null>): tf.Scalar {
    checkGradients(this.variables, grads, 'cpu');
    let bad = 0;
    for (const g of grads) {
      if (!g) continue;
      const data = g.dataSync();
      for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) bad++;
    }
    return tf.scalar(bad);
  }

  step(grads: ReadonlyArray<tf.Tensor | null>, stepSize: number, gradScale = 1): void {
    checkGradients(this.variables, grads, 'cpu');
    const { beta1, beta2, epsilon, clipValue } = this.constants;
    // The scalars the per-variable ops would create as float32 tensors.
    const b1 = f32(beta1);
    const b2 = f32(beta2);
    const c1 = f32(1 - beta1);
    const c2 = f32(1 - beta2);
    const eps = f32(epsilon);
    const s = f32(stepSize);
    grads.forEach((grad, index) => {
      if (!grad) return;
      const variable = this.variables[index]!;
      const g = grad.dataSync() as Float32Array;
      const theta = variable.dataSync() as Float32Array;
      const out = new Float32Array(theta.length);
      const offset = this.layout.offset(index);
      const { m, v } = this;
      for (let i = 0; i < g.length; i++) {
        let gi = gradScale === 1 ? g[i]! : f32(g[i]! * gradScale);
        // tfjs' clip: x > max ? max : x < min ? min : x (NaN passes through).
        if (clipValue !== null)
          gi = gi > clipValue ? f32(clipValue) : gi < -clipValue ? f32(-clipValue) : gi;
        const k = offset + i;
        const mNew = f32(f32(m[k]! * b1) + f32(gi * c1));
        const vNew = f32(f32(v[k]! * b2) + f32(f32(gi * gi) * c2));
        m[k] = mNew;
        v[k] = vNew;
        const update = f32(f32(mNew * s) / f32(f32(Math.sqrt(vNew)) + eps));
        out[i] = theta[i]! - update;
      }
      const updated = tf.tensor(out, variable.shape, 'float32');
      variable.assign(updated);
      updated.dispose(); // the variable keeps the data
    });
  }

  moment(which: 'm' | 'v', index: number): tf.Tensor {
    const offset = this.layout.offset(index);
    const size = this.layout.size(index);
    const flat = which === 'm' ? this.m : this.v;
    return tf.tensor(flat.slice(offset, offset + size), this.variables[index]!.shape, 'float32');
  }

  setMoment(which: 'm' | 'v', index: number, value: tf.Tensor): void {
    const variable = this.variables[index]!;
    if (value.shape.join() !== variable.shape.join())
      throw new Error(
        `multi-tensor Adam: ${which} of "${variable.name}" must be [${variable.shape}], got [${value.shape}]`,
      );
    (which === 'm' ? this.m : this.v).set(value.dataSync(), this.layout.offset(index));
  }

  dispose(): void {
    this.m = new Float32Array(0);
    this.v = new Float32Array(0);
  }
}
