import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { AdamConstants } from '../../optim/adam-contract';
import { createMultiTensorAdam } from '../../optim/multi-tensor-adam';
import { createRng } from '../../util/rng';
import { withBackend } from '../../with-backend';
import { WebGPUMultiTensorAdam } from './multi-tensor-adam';

// Runs on WebGPU wherever an adapter exists: an NVIDIA GPU, or Mesa lavapipe (software Vulkan)
// on CPU-only machines and in CI (scripts/setup.sh installs it).
const LSR: AdamConstants = { beta1: 0, beta2: 0.999, epsilon: 1e-7, clipValue: 1 };
const SHAPES = [[3, 3, 8, 6], [6], [1], [40, 9], [2000], [0]];

function arrays(seed: number, scale: number): Float32Array[] {
  const rng = createRng(seed);
  return SHAPES.map((s) =>
    Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => (rng.next() * 2 - 1) * scale),
  );
}

interface Run {
  params: Float32Array[];
  m: Float32Array[];
  v: Float32Array[];
}

/**
 * Four steps (variable 2 without gradient on step 3) on `backend`'s multi-tensor Adam; on WebGPU
 * optionally with bound windows of `windowBytes` (many dispatches, windows splitting segments).
 */
async function run(
  backend: 'cpu' | 'webgpu',
  c: AdamConstants,
  windowBytes?: number,
  lossScale = 1,
): Promise<Run> {
  return withBackend(backend, async () => {
    const vars = arrays(1, 2).map((a, i) => tf.variable(tf.tensor(a, SHAPES[i])));
    const adam =
      windowBytes === undefined
        ? createMultiTensorAdam(vars, c)!
        : new WebGPUMultiTensorAdam(vars, c, windowBytes);
    expect(adam.kind).toBe(backend);
    for (let t = 1; t <= 4; t++) {
      // Under loss scaling the gradients arrive multiplied by the scale; Adam divides it out.
      const grads = arrays(20 + t, 3).map((a, i) =>
        tf.tensor(
          a.map((x) => x * lossScale),
          SHAPES[i],
        ),
      );
      const given = grads.map((g, i) => (t === 3 && i === 2 ? null : g));
      const probe = adam.nonFiniteProbe(given);
      expect((await probe.data())[0]).toBe(0);
      probe.dispose();
      adam.step(given, (1e-2 * Math.sqrt(1 - c.beta2 ** t)) / (1 - c.beta1 ** t), 1 / lossScale);
      tf.dispose(grads);
    }
    const read = async (ts: tf.Tensor[]) => {
      const out = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
      tf.dispose(ts);
      return out;
    };
    const result = {
      params: await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array)),
      m: await read(vars.map((_, i) => adam.moment('m', i))),
      v: await read(vars.map((_, i) => adam.moment('v', i))),
    };
    adam.dispose();
    tf.dispose(vars);
    return result;
  });
}

function maxRelativeError(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    expect(x.length).toBe(y.length);
    x.forEach((xi, j) => {
      worst = Math.max(worst, Math.abs(xi - y[j]!) / Math.max(1e-6, Math.abs(y[j]!)));
    });
  });
  return worst;
}

describe('multi-tensor Adam [webgpu]', () => {
  for (const [label, c] of [
    ['LSR settings', LSR],
    ['β1 0.9, no clip', { beta1: 0.9, beta2: 0.99, epsilon: 1e-5, clipValue: null }],
  ] as const) {
    it(`matches the cpu implementation (float32 rounding only): ${label}`, async () => {
      const ref = await run('cpu', c);
      const gpu = await run('webgpu', c);
      expect(maxRelativeError(gpu.params, ref.params)).toBeLessThan(1e-6);
      expect(maxRelativeError(gpu.m, ref.m)).toBeLessThan(1e-6);
      expect(maxRelativeError(gpu.v, ref.v)).toBeLessThan(1e-5);
      // Variable 2 missed step 3, so its moments differ from the other variables' pattern:
      // m there equals step 4's update only (β1 = 0) and must equal the reference exactly-ish.
      expect(gpu.params[2]![0]).not.toBe(arrays(1, 2)[2]![0]);
    });
  }

  it('a gradient scale of 1/1024 on gradients ×1024 (loss scaling) gives bit-identical results, cpu and webgpu', async () => {
    for (const backend of ['cpu', 'webgpu'] as const) {
      const plain = await run(backend, LSR);
      const scaled = await run(backend, LSR, undefined, 1024);
      expect(scaled.params.map((p) => Array.from(p))).toEqual(
        plain.params.map((p) => Array.from(p)),
      );
      expect(scaled.v.map((p) => Array.from(p))).toEqual(plain.v.map((p) => Array.from(p)));
    }
  });

  it('splits the flat arrays into bound windows (here 1 KiB: 14 dispatches) without changing the result', async () => {
    const ref = await run('cpu', LSR);
    const gpu = await run('webgpu', LSR, 1024);
    expect(maxRelativeError(gpu.params, ref.params)).toBeLessThan(1e-6);
    expect(maxRelativeError(gpu.v, ref.v)).toBeLessThan(1e-5);
  });

  it('writes in place, re-reads parameters changed from outside, keeps clones intact', async () => {
    await withBackend('webgpu', async () => {
      const w = tf.variable(tf.tensor1d([1, 2, 3, 4]));
      const adam = createMultiTensorAdam([w], LSR)!;
      const g = tf.tensor1d([1, -1, 0.5, 0]);
      adam.step([g], 0.1);
      const after1 = Array.from(await w.data());
      // One Adam step moves each weight by ≈ stepSize·sign(g) (|m|/√v = 1/√(1−β2)·...):
      // with β1 = 0, m = g, v = 0.001·g², update = 0.1·g/(√0.001·|g| + ε) ≈ 3.162·sign(g).
      const expected = [1, 2, 3, 4].map((x, i) => {
        const gi = [1, -1, 0.5, 0][i]!;
        return gi === 0 ? x : x - (0.1 * gi) / (Math.sqrt(0.001 * gi * gi) + 1e-7);
      });
      for (const [i, x] of after1.entries()) expect(x).toBeCloseTo(expected[i]!, 4);
      // A clone shares the buffer: the next step must not change it.
      const snapshot = tf.clone(w);
      adam.step([g], 0.1);
      expect(Array.from(await snapshot.data())).toEqual(after1);
      // An outside assign is picked up by the next step.
      w.assign(tf.tensor1d([10, 10, 10, 10]));
      adam.step([tf.zeros([4])], 0.1);
      expect(Array.from(await w.data())).toEqual([10, 10, 10, 10]);
      adam.dispose();
      tf.dispose([w, g, snapshot]);
    });
  });

  it('probe flags NaN and ±Inf anywhere, including in the last element of a large segment', async () => {
    await withBackend('webgpu', async () => {
      const vars = SHAPES.map((s) => tf.variable(tf.zeros(s)));
      const adam = createMultiTensorAdam(vars, LSR)!;
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        const grads = SHAPES.map((s) => tf.ones(s));
        const big = new Float32Array(2000).fill(0.5);
        big[1999] = bad;
        grads[4] = tf.tensor1d(big);
        const probe = adam.nonFiniteProbe(grads);
        expect((await probe.data())[0]).toBeGreaterThan(0);
        tf.dispose([probe, ...grads]);
      }
      adam.dispose();
      tf.dispose(vars);
    });
  });

  it('gated step (captured training): equals the uniform-driven step with the gate open, changes nothing with it closed', async () => {
    await withBackend('webgpu', async () => {
      const make = () => arrays(1, 2).map((a, i) => tf.variable(tf.tensor(a, SHAPES[i])));
      const [plainVars, gatedVars] = [make(), make()];
      const plain = createMultiTensorAdam(plainVars, LSR)!;
      const gated = createMultiTensorAdam(gatedVars, LSR)!;
      const device = gated.device!;
      expect(device).not.toBeNull();
      device.syncParameters();
      const read = async (vars: tf.Variable[], adam: typeof plain) => {
        const out: number[][] = [];
        for (const v of vars) out.push(Array.from(await v.data()));
        for (const which of ['m', 'v'] as const)
          for (let i = 0; i < vars.length; i++) {
            const t = adam.moment(which, i);
            out.push(Array.from(await t.data()));
            t.dispose();
          }
        return out;
      };
      for (let t = 1; t <= 3; t++) {
        const grads = arrays(20 + t, 3).map((a, i) =>
          tf.tensor(
            a.map((x) => x * 4),
            SHAPES[i],
          ),
        );
        const given = grads.map((g, i) => (t === 2 && i === 2 ? null : g));
        const stepSize = (1e-2 * Math.sqrt(1 - LSR.beta2 ** t)) / (1 - LSR.beta1 ** t);
        const before = await read(gatedVars, gated);
        // Closed gate: θ, m and v stay as they were.
        const control = tf.tensor1d([stepSize, 0.25]);
        const closed = tf.scalar(3, 'int32');
        device.gatedStep(given, control, closed);
        expect(await read(gatedVars, gated)).toEqual(before);
        // Open gate: the same numbers as step() with the same step size and gradient scale.
        const open = tf.scalar(0, 'int32');
        const probe = gated.nonFiniteProbe(given);
        device.gatedStep(given, control, open);
        plain.step(given, stepSize, 0.25);
        expect(await read(gatedVars, gated)).toEqual(await read(plainVars, plain));
        // The staged gradient is what the last update used (before the 1/4 scale).
        const staged = device.stagedGradient(0);
        expect(Array.from(await staged.data())).toEqual(Array.from(await grads[0]!.data()));
        tf.dispose([...grads, control, closed, open, probe, staged]);
      }
      expect(() =>
        device.gatedStep(
          [null, null, null, null, null, null],
          tf.zeros([3]),
          tf.scalar(0, 'int32'),
        ),
      ).toThrow(/control must be float32/);
      plain.dispose();
      gated.dispose();
      tf.dispose([...plainVars, ...gatedVars]);
    });
  });
});
