import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { tensorsLeakedPerRun } from '@th/backend/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from './adam';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

const values = (t: tf.Tensor) => [...t.dataSync()];

describe('Adam (Keras form, LSR settings)', () => {
  it('first step: clip to ±1, then θ − lr·√(1−β2)·g/(√((1−β2)g²)+ε) ≈ θ − lr·sign(g)', () => {
    const theta = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const adam = new Adam({ theta });
    adam.apply({ theta: tf.tensor1d([0.5, -3, 0]) });
    // Clipped g = (0.5, -1, 0). m = g, v = 0.001 g², step size = 1e-3·√0.001.
    const stepSize = 1e-3 * Math.sqrt(0.001);
    const expected = [0.5, -1, 0].map(
      (g, i) => [1, -2, 0.5][i]! - (stepSize * g) / (Math.sqrt(0.001 * g * g) + 1e-7),
    );
    for (const [i, v] of values(theta).entries()) expect(v).toBeCloseTo(expected[i]!, 7);
    // The closed form: one Adam step moves each weight by lr (minus the ε effect) against g.
    expect(values(theta)[0]).toBeCloseTo(0.999, 6);
    expect(values(theta)[1]).toBeCloseTo(-1.999, 6);
    expect(values(theta)[2]).toBe(0.5);
    expect(adam.step).toBe(1);
  });

  it('second step follows v ← β2·v + (1−β2)·g² and the bias-corrected step size', () => {
    const theta = tf.variable(tf.tensor1d([1, -2]));
    const adam = new Adam({ theta });
    adam.apply({ theta: tf.tensor1d([0.5, -0.25]) });
    adam.apply({ theta: tf.tensor1d([0.2, 0.4]) }, 5e-4);
    const g1 = [0.5, -0.25];
    const g2 = [0.2, 0.4];
    const expected = [1, -2].map((t0, i) => {
      const v1 = 0.001 * g1[i]! ** 2;
      const t1 = t0 - (1e-3 * Math.sqrt(1 - 0.999) * g1[i]!) / (Math.sqrt(v1) + 1e-7);
      const v2 = 0.999 * v1 + 0.001 * g2[i]! ** 2;
      return t1 - (5e-4 * Math.sqrt(1 - 0.999 ** 2) * g2[i]!) / (Math.sqrt(v2) + 1e-7);
    });
    // float32 weights near 2 resolve ~1.2e-7.
    for (const [i, v] of values(theta).entries()) expect(v).toBeCloseTo(expected[i]!, 6);
  });

  it('with β1 > 0 keeps momentum: m ← β1·m + (1−β1)·g, step lr·√(1−β2^t)/(1−β1^t)', () => {
    const theta = tf.variable(tf.scalar(0));
    const adam = new Adam({ theta }, { beta1: 0.9, clipValue: null, learningRate: 0.1 });
    adam.apply({ theta: tf.scalar(2) });
    adam.apply({ theta: tf.scalar(-1) });
    const m1 = 0.2;
    const v1 = 0.001 * 4;
    const t1 = 0 - (((0.1 * Math.sqrt(1 - 0.999)) / (1 - 0.9)) * m1) / (Math.sqrt(v1) + 1e-7);
    const m2 = 0.9 * m1 + 0.1 * -1;
    const v2 = 0.999 * v1 + 0.001;
    const t2 =
      t1 - (((0.1 * Math.sqrt(1 - 0.999 ** 2)) / (1 - 0.81)) * m2) / (Math.sqrt(v2) + 1e-7);
    expect(theta.dataSync()[0]).toBeCloseTo(t2, 6);
  });

  it('getState/setState resume exactly', () => {
    const a = tf.variable(tf.tensor2d([[0.3, -0.7]]), true, 'resume-a');
    const b = tf.variable(tf.tensor2d([[0.3, -0.7]]), true, 'resume-b');
    const first = new Adam({ w: a });
    const second = new Adam({ w: b });
    first.apply({ w: tf.tensor2d([[0.4, 2]]) });
    second.apply({ w: tf.tensor2d([[0.4, 2]]) });
    const state = first.getState();
    expect(Object.keys(state.tensors).sort()).toEqual(['m/w', 'v/w']);
    expect(state.step).toBe(1);
    const resumed = new Adam({ w: tf.variable(tf.clone(a)) });
    resumed.setState(state);
    tf.dispose(Object.values(state.tensors));
    const g = tf.tensor2d([[-0.3, 0.1]]);
    second.apply({ w: g });
    resumed.apply({ w: g });
    expect(resumed.step).toBe(2);
    expect(values(resumed.getState().tensors['v/w']!)).toEqual(
      values(second.getState().tensors['v/w']!),
    );
    expect(() => resumed.setState({ step: 1, tensors: {} })).toThrow(/missing tensor "m\/w"/);
    expect(() =>
      resumed.setState({ step: 1, tensors: { 'm/w': tf.zeros([2]), 'v/w': tf.zeros([1, 2]) } }),
    ).toThrow(/"m\/w" has shape \[2\]/);
  });

  it('refuses unknown or misshapen gradients and leaks nothing per step', async () => {
    const w = tf.variable(tf.zeros([2, 2]));
    const adam = new Adam({ w });
    expect(() => adam.apply({ x: tf.zeros([2, 2]) })).toThrow(/unknown variable "x"/);
    expect(() => adam.apply({ w: tf.zeros([4]) })).toThrow(/has shape \[4\], variable has \[2,2\]/);
    expect(() => new Adam({ w }, { beta2: 1 })).toThrow(/betas must lie in \[0, 1\)/);
    const g = tf.ones([2, 2]);
    expect(await tensorsLeakedPerRun(() => adam.apply({ w: g }))).toBe(0);
  });
});

describe('Adam construction', () => {
  it('per-variable: allocates exactly its two moment variables per parameter', async () => {
    await init({ backend: 'cpu' });
    const w = tf.variable(tf.ones([3, 2]));
    const before = tf.memory().numTensors;
    const adam = new Adam({ w }, { fused: false });
    expect(adam.implementation).toBe('per-variable');
    expect(tf.memory().numTensors - before).toBe(2);
    adam.dispose();
    expect(tf.memory().numTensors - before).toBe(0);
    w.dispose();
  });

  it('multi-tensor (default on cpu): moments in flat storage, no tensors at all', async () => {
    await init({ backend: 'cpu' });
    const w = tf.variable(tf.ones([3, 2]));
    const before = tf.memory().numTensors;
    const adam = new Adam({ w });
    expect(adam.implementation).toBe('multi-tensor');
    expect(tf.memory().numTensors - before).toBe(0);
    adam.dispose();
    w.dispose();
  });
});

describe('Adam: multi-tensor vs per-variable', () => {
  it('gives bit-identical parameters, moments and states over steps with a missing gradient', async () => {
    await init({ backend: 'cpu' });
    const shapes = [[3, 3, 2, 4], [4], [6, 5]];
    const start = shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', i + 1));
    const fusedVars = Object.fromEntries(start.map((t, i) => [`p${i}`, tf.variable(t.clone())]));
    const plainVars = Object.fromEntries(start.map((t, i) => [`p${i}`, tf.variable(t.clone())]));
    const fused = new Adam(fusedVars);
    const plain = new Adam(plainVars, { fused: false });
    for (let t = 0; t < 3; t++) {
      const grads = Object.fromEntries(
        shapes.map((s, i) => [`p${i}`, tf.randomNormal(s, 0, 2, 'float32', 100 + 10 * t + i)]),
      );
      if (t === 1) delete grads.p1;
      fused.apply(grads, 1e-3 * (t + 1));
      plain.apply(grads, 1e-3 * (t + 1));
      tf.dispose(Object.values(grads));
    }
    for (const name of Object.keys(fusedVars))
      expect(values(fusedVars[name]!)).toEqual(values(plainVars[name]!));
    const a = fused.getState();
    const b = plain.getState();
    expect(Object.keys(a.tensors).sort()).toEqual(Object.keys(b.tensors).sort());
    for (const key of Object.keys(a.tensors))
      expect(values(a.tensors[key]!)).toEqual(values(b.tensors[key]!));
    // State moves across implementations: per-variable state resumes a multi-tensor Adam.
    const resumed = new Adam(
      Object.fromEntries(Object.entries(plainVars).map(([n, v]) => [n, tf.variable(v.clone())])),
    );
    resumed.setState(b);
    const g = Object.fromEntries(shapes.map((s, i) => [`p${i}`, tf.ones(s)]));
    resumed.apply(g, 1e-3);
    plain.apply(g, 1e-3);
    for (const key of Object.keys(b.tensors))
      expect(values(resumed.getState().tensors[key]!)).toEqual(
        values(plain.getState().tensors[key]!),
      );
  });

  it('nonFiniteProbe is 0 for finite gradients and nonzero with one NaN', async () => {
    await init({ backend: 'cpu' });
    for (const fusedOption of [true, false]) {
      const w = tf.variable(tf.zeros([3]));
      const adam = new Adam({ w }, { fused: fusedOption });
      expect(adam.nonFiniteProbe({ w: tf.ones([3]) }).dataSync()[0]).toBe(0);
      expect(adam.nonFiniteProbe({ w: tf.tensor1d([0, Number.NaN, 1]) }).dataSync()[0]).not.toBe(0);
      adam.dispose();
    }
  });
});
