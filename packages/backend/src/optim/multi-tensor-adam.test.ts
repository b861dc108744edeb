import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import type { AdamConstants } from './adam-contract';
import { perVariableAdamStep } from './adam-reference';
import { FlatLayout } from './flat-layout';
import { createMultiTensorAdam } from './multi-tensor-adam';

const LSR: AdamConstants = { beta1: 0, beta2: 0.999, epsilon: 1e-7, clipValue: 1 };
const SHAPES = [[3, 3, 4, 5], [5], [7, 2], [1], [130]];

function randomArrays(seed: number, scale: number): Float32Array[] {
  const rng = createRng(seed);
  return SHAPES.map((s) => {
    const n = s.reduce((a, b) => a * b, 1);
    return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
  });
}

const stepSizeAt = (t: number, lr: number, c: AdamConstants) =>
  (lr * Math.sqrt(1 - c.beta2 ** t)) / (1 - c.beta1 ** t);

describe('FlatLayout', () => {
  it('aligns segments to 64 elements and finds maximal active runs', () => {
    const layout = new FlatLayout([10, 64, 65, 0, 3]);
    expect([0, 1, 2, 3, 4].map((i) => layout.offset(i))).toEqual([0, 64, 128, 256, 256]);
    expect(layout.total).toBe(320);
    expect(layout.activeRuns([true, true, false, true, true])).toEqual([
      [0, 128],
      [256, 259],
    ]);
    expect(layout.activeRuns([false, false, false, false, false])).toEqual([]);
    expect(() => layout.offset(5)).toThrow(/no segment 5/);
  });
});

describe('multi-tensor Adam [cpu]', () => {
  beforeAll(async () => {
    await init({ backend: 'cpu' });
  });

  for (const [label, constants] of [
    ['LSR settings (β1 0, clip 1)', LSR],
    ['β1 0.9, no clipping', { beta1: 0.9, beta2: 0.99, epsilon: 1e-5, clipValue: null }],
    ['clip 0.3', { beta1: 0.5, beta2: 0.999, epsilon: 1e-7, clipValue: 0.3 }],
  ] as const) {
    it(`is bit-identical to per-variable tfjs ops over 4 steps: ${label}`, () => {
      const init0 = randomArrays(1, 2);
      const fused = init0.map((a, i) => tf.variable(tf.tensor(a, SHAPES[i])));
      const plain = init0.map((a, i) => tf.variable(tf.tensor(a, SHAPES[i])));
      const moments = plain.map((p) => [
        tf.variable(tf.zerosLike(p)),
        tf.variable(tf.zerosLike(p)),
      ]);
      const adam = createMultiTensorAdam(fused, constants)!;
      expect(adam.kind).toBe('cpu');
      for (let t = 1; t <= 4; t++) {
        // Gradients up to ±3 so clipping bites; variable 3 has no gradient on step 2.
        const grads = randomArrays(10 + t, 3).map((a, i) => tf.tensor(a, SHAPES[i]));
        const given = grads.map((g, i) => (t === 2 && i === 3 ? null : g));
        const s = stepSizeAt(t, 1e-2, constants);
        adam.step(given, s);
        given.forEach((g, i) => {
          if (g) perVariableAdamStep(plain[i]!, moments[i]![0]!, moments[i]![1]!, g, s, constants);
        });
        tf.dispose(grads);
      }
      fused.forEach((f, i) => {
        expect(Array.from(f.dataSync())).toEqual(Array.from(plain[i]!.dataSync()));
        const m = adam.moment('m', i);
        const v = adam.moment('v', i);
        expect(Array.from(m.dataSync())).toEqual(Array.from(moments[i]![0]!.dataSync()));
        expect(Array.from(v.dataSync())).toEqual(Array.from(moments[i]![1]!.dataSync()));
        tf.dispose([m, v]);
      });
      // The variable without a gradient on step 2 really skipped that step: its v differs from
      // a run where it had one (sanity check that the comparison above could fail).
      expect(Array.from(fused[3]!.dataSync())).not.toEqual(Array.from(init0[3]!));
      adam.dispose();
      tf.dispose([...fused, ...plain, ...moments.flat()]);
    });
  }

  it('setMoment/moment round-trip; probe counts non-finite gradients; errors name the problem', async () => {
    const vars = SHAPES.map((s) => tf.variable(tf.zeros(s)));
    const adam = createMultiTensorAdam(vars, LSR)!;
    const m = tf.tensor(randomArrays(3, 1)[1]!, SHAPES[1]);
    adam.setMoment('m', 1, m);
    expect(Array.from(adam.moment('m', 1).dataSync())).toEqual(Array.from(m.dataSync()));
    expect(Array.from(adam.moment('v', 1).dataSync())).toEqual([0, 0, 0, 0, 0]);
    const finite = SHAPES.map((s) => tf.ones(s));
    expect((await adam.nonFiniteProbe(finite).data())[0]).toBe(0);
    const bad = [...finite];
    bad[2] = tf.tensor2d([
      [1, Number.NaN],
      [Infinity, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect((await adam.nonFiniteProbe(bad).data())[0]).not.toBe(0);
    expect(() => adam.step(finite.slice(1), 1e-3)).toThrow(/4 gradients for 5 variables/);
    expect(() => adam.setMoment('v', 0, tf.zeros([2]))).toThrow(/must be \[3,3,4,5\], got \[2\]/);
    expect(() => createMultiTensorAdam(vars, { ...LSR, beta2: 1 })).toThrow(/betas/);
    adam.dispose();
  });
});
