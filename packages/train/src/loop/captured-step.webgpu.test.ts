import * as tf from '@tensorflow/tfjs-core';
import { withBackend } from '@th/backend';
import { LsrModel, presetConfig } from '@th/models';
import { describe, expect, it } from 'vitest';
import { disposeBatch, type ExampleBatch } from '../data/example-source';
import { lossConfig } from '../losses/loss-config';
import { randomBatch, TINY_LSR_64 } from '../testing/tiny-train-run';
import { FineTuner } from './finetune';
import { Stage2Trainer } from './stage2-step';
import type { StepResult } from './step-result';

// WebGPU (lavapipe on CPU-only machines): stage-2 steps captured once and replayed without tfjs
// give the same losses, parameters and Adam moments as eager steps from the same start, bit for
// bit (the replay runs the very kernels of the eager step, in the same order, on the same
// values; the gated Adam kernel does the eager kernel's arithmetic). R1/R2 every 2nd D step, so
// both graphs (with and without the penalty) are captured and replayed; one batch holds a NaN,
// which the GPU-side finite check must skip as the eager step does.

const losses = lossConfig({
  stage2: { vgg19: 0, vggFacePerLayer: 0, identity: 0, penaltyInterval: 2 },
});

function trainer(
  captureSteps: boolean,
  log: string[],
  lossScale: boolean | { initialScale: number } = false,
  config = losses,
): Stage2Trainer {
  const model = new LsrModel(presetConfig('lsr-64', TINY_LSR_64), {
    checkRange: false,
  }).initialize(5);
  return new Stage2Trainer(model, {
    losses: config,
    captureSteps,
    lossScale,
    log: (l) => log.push(l),
  });
}

/** Batch `i` (1 × K 2 at 64²); batch 3 has a NaN in its target frame. */
function batchAt(i: number): ExampleBatch {
  const b = randomBatch(1, 2, 64, 100 + 10 * i);
  if (i !== 3) return b;
  const mask = new Float32Array(b.target.size).fill(1);
  mask[7] = Number.NaN;
  const target = tf.tidy(() => tf.mul(b.target, tf.tensor(mask, b.target.shape))) as tf.Tensor4D;
  b.target.dispose();
  return { ...b, target };
}

async function state(t: Stage2Trainer): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const v of [...Object.values(t.gVariables), ...Object.values(t.dVariables)])
    out.push((await v.data()) as Float32Array);
  for (const opt of [t.gOptimizer, t.dOptimizer]) {
    const s = opt.getState();
    for (const m of Object.values(s.tensors)) out.push((await m.data()) as Float32Array);
    tf.dispose(Object.values(s.tensors));
  }
  return out;
}

/** Largest |a − b| over all arrays (NaN if either holds one). */
function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    expect(x.length).toBe(y.length);
    for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k]! - y[k]!));
  });
  return worst;
}

async function runSteps(
  t: Stage2Trainer,
  steps: number,
): Promise<{
  results: StepResult[];
  states: Float32Array[][];
}> {
  const results: StepResult[] = [];
  const states: Float32Array[][] = [];
  for (let i = 1; i <= steps; i++) {
    const batch = batchAt(i);
    results.push(await t.step(batch, 1e-3 * i));
    disposeBatch(batch);
    states.push(await state(t));
  }
  return { results, states };
}

describe('captured stage-2 steps [webgpu]', () => {
  it('replay 5 steps (penalty and plain graphs, a NaN batch skipped) bit-identical to eager', async () => {
    await withBackend('webgpu', async () => {
      const eagerLog: string[] = [];
      const eager = trainer(false, eagerLog);
      const start = await state(eager);
      const e = await runSteps(eager, 5);
      const capturedLog: string[] = [];
      const captured = trainer(true, capturedLog);
      expect(maxDiff(await state(captured), start)).toBe(0);
      const c = await runSteps(captured, 5);

      expect(capturedLog).toEqual([]);
      expect(captured.captured!.unavailable).toBeNull();
      const counts = captured.captured!.kernelCounts();
      expect(Object.keys(counts).sort()).toEqual(['penalty', 'plain']);
      expect(counts.penalty!).toBeGreaterThan(counts.plain!); // R1/R2's double backward
      expect(e.results.map((r) => r.applied)).toEqual([true, true, false, true, true]);
      for (let i = 0; i < 5; i++) {
        const [er, cr] = [e.results[i]!, c.results[i]!];
        expect(cr.applied).toBe(er.applied);
        expect(Object.keys(cr.losses)).toEqual(Object.keys(er.losses));
        for (const k of Object.keys(er.losses)) expect(cr.losses[k]).toBe(er.losses[k]);
        expect(cr.problem).toBe(er.problem);
        expect(maxDiff(c.states[i]!, e.states[i]!)).toBe(0);
      }
      // Penalty on D steps 0 and 2 (steps 1, 4), off on 1 and 3 (steps 2, 5).
      expect(e.results.map((r) => 'd.r1' in r.losses)).toEqual([true, false, true, true, false]);
      // The NaN step: skipped, nothing changed, the Adam step counts stood still.
      expect(c.results[2]!.problem).toMatch(/non-finite loss term/);
      expect(maxDiff(c.states[2]!, c.states[1]!)).toBe(0);
      expect(maxDiff(c.states[4]!, c.states[3]!)).toBeGreaterThan(0);
      expect(captured.gOptimizer.step).toBe(4);
      expect(captured.dOptimizer.step).toBe(eager.dOptimizer.step);
      for (const t of [eager, captured]) {
        t.dispose();
        t.model.dispose();
      }
    });
  });

  it('under dynamic loss scaling (overflow steps skipped on the probes alone), and captured again after a variable is reassigned, bit-identical to eager', async () => {
    await withBackend('webgpu', async () => {
      const everyStep = lossConfig({
        stage2: { vgg19: 0, vggFacePerLayer: 0, identity: 0, penaltyInterval: 1 },
      });
      const logs: string[][] = [[], []];
      // A scale of 2^127 overflows the scaled loss, so the gradients are not finite while every
      // loss term is: the GPU gate must close on the probes alone (a loss-scale overflow: skip,
      // scale halved), and the CPU must name the same variables from the staged gradients.
      const [eager, captured] = [false, true].map((c, i) =>
        trainer(c, logs[i]!, { initialScale: 2 ** 127 }, everyStep),
      ) as [Stage2Trainer, Stage2Trainer];
      const start = await state(captured);
      for (let i = 1; i <= 2; i++) {
        const batch = batchAt(i);
        const [er, cr] = [await eager.step(batch, 1e-3), await captured.step(batch, 1e-3)];
        disposeBatch(batch);
        expect(er.applied).toBe(false);
        expect(er.lossScale).toMatchObject({ scale: 2 ** (128 - i), overflow: true });
        expect(cr).toEqual(er);
        expect(cr.problem).toMatch(/gradient overflow .*non-finite gradient of \w/);
        expect(maxDiff(await state(captured), start)).toBe(0);
      }
      expect(captured.gOptimizer.step).toBe(0);
      // A checkpoint restore sets the scale back (here to 2^15, where this model's steps fit).
      for (const t of [eager, captured]) t.lossScale!.setState({ scale: 2 ** 15, goodSteps: 0 });
      for (let i = 3; i <= 4; i++) {
        if (i === 4)
          for (const t of [eager, captured]) {
            // A checkpoint restore re-points variables: the graph reads the old buffers.
            const v = Object.values(t.dVariables)[0]!;
            const next = tf.tidy(() => tf.mul(v, 0.5));
            v.assign(next);
            next.dispose();
          }
        const batch = batchAt(i + 1); // 4, 5: batch 3 holds a NaN
        const [er, cr] = [await eager.step(batch, 1e-3), await captured.step(batch, 1e-3)];
        disposeBatch(batch);
        expect(er.lossScale!.scale).toBe(2 ** 15);
        expect(cr.lossScale).toEqual(er.lossScale);
        expect(cr.losses).toEqual(er.losses);
        expect(cr.applied).toBe(true);
        expect(maxDiff(await state(captured), await state(eager))).toBe(0);
      }
      expect(logs[1]).toEqual([
        expect.stringMatching(
          /capturing the penalty step again \(variable ".*" was disposed or reassigned since capture\)/,
        ),
      ]);
      expect(captured.captured!.kernelCounts()).toEqual({ penalty: expect.any(Number) });
      for (const t of [eager, captured]) {
        t.dispose();
        t.model.dispose();
      }
    });
  });

  it('off WebGPU: one log line, then the eager steps', async () => {
    await withBackend('wasm', async () => {
      const logs: string[][] = [[], []];
      const [eager, asked] = [false, true].map((c, i) => trainer(c, logs[i]!)) as [
        Stage2Trainer,
        Stage2Trainer,
      ];
      for (let i = 1; i <= 2; i++) {
        const batch = batchAt(i);
        const [er, ar] = [await eager.step(batch, 1e-3), await asked.step(batch, 1e-3)];
        disposeBatch(batch);
        // wasm's threaded kernels need not repeat the last bit from one run to the next.
        expect(ar.applied).toBe(er.applied);
        for (const [k, x] of Object.entries(er.losses))
          expect(Math.abs(ar.losses[k]! - x)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(x)));
      }
      expect(logs[1]).toEqual([
        'captured steps: off, every step runs eagerly: the backend is wasm, not webgpu',
      ]);
      expect(asked.captured!.unavailable).toBe('the backend is wasm, not webgpu');
      for (const t of [eager, asked]) {
        t.dispose();
        t.model.dispose();
      }
    });
  });

  it('fine-tuning: 3 replayed steps (targets from the shots, frozen latents) bit-identical to eager', async () => {
    await withBackend('webgpu', async () => {
      const batch = batchAt(1);
      const logs: string[][] = [[], []];
      const runs = [];
      for (const [i, captureSteps] of [false, true].entries()) {
        const model = new LsrModel(presetConfig('lsr-64', TINY_LSR_64), {
          checkRange: false,
        }).initialize(5);
        const tuner = new FineTuner(
          model,
          { shots: batch.sources, shotLandmarks: batch.sourceLandmarks },
          { steps: 3, losses, captureSteps, log: (l) => logs[i]!.push(l) },
        );
        const results: StepResult[] = [];
        await tuner.run((_, r) => results.push(r));
        const params: Float32Array[] = [];
        for (const v of [...Object.values(tuner.gVariables), ...Object.values(tuner.dVariables)])
          params.push((await v.data()) as Float32Array);
        runs.push({ results, params });
        if (captureSteps)
          expect(Object.keys(tuner.captured!.kernelCounts()).sort()).toEqual(['penalty', 'plain']);
        tuner.dispose();
        model.dispose();
      }
      disposeBatch(batch);
      expect(logs).toEqual([[], []]);
      const [eager, captured] = runs as [(typeof runs)[0], (typeof runs)[0]];
      expect(captured.results).toEqual(eager.results);
      expect(eager.results.every((r) => r.applied)).toBe(true);
      expect(maxDiff(captured.params, eager.params)).toBe(0);
    });
  });
});
