import type * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { LsrModel, presetConfig } from '@th/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch } from '../data/example-source';
import { lossConfig } from '../losses/loss-config';
import { randomBatch, TINY_LSR_64 } from '../testing/tiny-train-run';
import { Stage1Trainer } from './stage1-step';
import { Stage2Trainer } from './stage2-step';

// Dynamic loss scaling in real training steps (narrow lsr-64, batch 2, K 2, wasm). The GEMMs are
// f32 here, so scaling by a power of two is exact: a scaled step must equal an unscaled one bit
// for bit, and overflow is forced with scales near float32's limit (2^128).
const model = (seed: number) =>
  new LsrModel(presetConfig('lsr-64', TINY_LSR_64), { checkRange: false }).initialize(seed);
const values = (vars: Record<string, tf.Variable>) =>
  Object.values(vars).map((v) => Array.from(v.dataSync()));
const noVgg = lossConfig({ stage1: { auxVgg19: 0 } });

describe('dynamic loss scaling in the training steps (tiny lsr-64, wasm)', () => {
  beforeAll(async () => {
    // One thread: threaded wasm reductions may sum in a different order from run to run, and
    // these tests compare runs bit for bit.
    await init({ backend: 'wasm', wasmThreads: 1 });
  });

  it('stage 1: overflow skips the step and halves the scale until the gradients are finite; the applied step equals an unscaled one exactly; the scale grows after growthInterval steps', async () => {
    const batch = randomBatch(2, 2, 64, 21);
    // Scales near float32's limit (max ≈ 2^128) overflow the backward pass: measured on these
    // weights, every scale from 2^127 down to 2^120 does; 2^121 gives two overflowing steps.
    const scaled = new Stage1Trainer(model(5), {
      losses: noVgg,
      lossScale: { initialScale: 2 ** 121, maxScale: 2 ** 121, growthInterval: 2 },
    });
    const plain = new Stage1Trainer(model(5), { losses: noVgg, lossScale: false });
    const before = values(scaled.variables);
    const events: string[] = [];
    let result = await scaled.step(batch, 1e-3);
    while (!result.applied) {
      expect(result.lossScale?.overflow).toBe(true);
      expect(result.problem).toMatch(/^gradient overflow at loss scale/);
      expect(Number.isFinite(result.losses.total)).toBe(true); // the (unscaled) loss is finite
      expect(values(scaled.variables)).toEqual(before); // nothing applied
      events.push(`${result.lossScale!.event!.from}->${result.lossScale!.event!.to}`);
      result = await scaled.step(batch, 1e-3);
    }
    console.log(
      `overflow events: ${events.join(', ')}; applied at scale ${result.lossScale!.scale}`,
    );
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]).toBe(`${2 ** 121}->${2 ** 120}`);
    expect(result.lossScale!.scale).toBe(2 ** (121 - events.length));
    expect(scaled.optimizer.step).toBe(1);
    const reference = await plain.step(batch, 1e-3);
    expect(result.losses).toEqual(reference.losses);
    expect(values(scaled.variables)).toEqual(values(plain.variables));
    // Two finite steps in a row (growthInterval 2) double the scale.
    const second = await scaled.step(batch, 1e-3);
    expect(second.lossScale).toEqual({
      scale: 2 ** (121 - events.length),
      overflow: false,
      event: {
        kind: 'growth',
        from: 2 ** (121 - events.length),
        to: 2 ** (122 - events.length),
        after: 2,
      },
    });
    disposeBatch(batch);
    scaled.dispose();
    plain.dispose();
  });

  it('stage 2 (G and D with R1/R2 under one scale): a scaled step equals an unscaled one bit for bit', async () => {
    const batch = randomBatch(2, 2, 64, 31);
    const losses = lossConfig({ stage2: { vgg19: 0, vggFacePerLayer: 0, identity: 0 } });
    const scaled = new Stage2Trainer(model(6), { losses, lossScale: { initialScale: 2 ** 20 } });
    const plain = new Stage2Trainer(model(6), { losses, lossScale: false });
    const a = await scaled.step(batch, 1e-3);
    const b = await plain.step(batch, 1e-3);
    expect(a.applied && b.applied).toBe(true);
    expect(a.lossScale).toEqual({ scale: 2 ** 20, overflow: false, event: null });
    expect(a.losses['d.r1']).toBeGreaterThan(0);
    expect(a.losses).toEqual(b.losses);
    expect(values(scaled.gVariables)).toEqual(values(plain.gVariables));
    expect(values(scaled.dVariables)).toEqual(values(plain.dVariables));
    disposeBatch(batch);
    scaled.dispose();
    plain.dispose();
  });
});
