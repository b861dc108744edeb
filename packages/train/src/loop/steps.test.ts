import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { randomFeatureNetwork } from '@th/features';
import { LsrModel, presetConfig } from '@th/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch } from '../data/example-source';
import { lossConfig } from '../losses/loss-config';
import { randomBatch } from '../testing/tiny-train-run';
import { FineTuner } from './finetune';
import { Stage1Trainer } from './stage1-step';
import { Stage2Trainer } from './stage2-step';

// lsr-64, batch 2, K 2 on wasm: the real networks at CI size, on random batches.
const quiet = { log: () => {} };
const noFace = lossConfig({ stage2: { vggFacePerLayer: 0, identity: 0 } });

function model(seed: number) {
  return new LsrModel(presetConfig('lsr-64'), { checkRange: false }).initialize(seed);
}

function snapshot(vars: Record<string, tf.Variable>): Float32Array[] {
  return Object.values(vars).map((v) => v.dataSync() as Float32Array);
}

describe('training steps (lsr-64, batch 2, K 2, wasm)', () => {
  beforeAll(async () => {
    await init({ backend: 'wasm' });
  });

  it('stage 1: finite terms, only E^l/G^l change, numTensors flat', async () => {
    const m = model(1);
    const t = new Stage1Trainer(m, { vgg19: randomFeatureNetwork(0, quiet) });
    const counts: number[] = [];
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const batch = randomBatch(2, 2, 64, 3 + 10 * i);
      const r = await t.step(batch, 1e-3);
      disposeBatch(batch);
      expect(r.applied).toBe(true);
      for (const key of ['layoutCrossEntropy', 'auxVgg19', 'layoutLatentL2', 'total'])
        expect(Number.isFinite(r.losses[key])).toBe(true);
      seen.push(r.losses.layoutCrossEntropy!);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[2]).toBe(counts[1]);
    // Untrained CE is about ln(19) ≈ 2.94 or more; the networks output real logits.
    expect(seen[0]).toBeGreaterThan(1);
    expect(t.optimizer.step).toBe(3);
    expect(Object.keys(t.variables).every((n) => /^layout(Encoder|Generator)\./.test(n))).toBe(
      true,
    );
    t.dispose();
    m.dispose();
  });

  it('stage 2: G and D both update from the same parameters; numTensors flat', async () => {
    const m = model(2);
    const t = new Stage2Trainer(m, { losses: noFace, vgg19: randomFeatureNetwork(0, quiet) });
    const counts: number[] = [];
    for (let i = 0; i < 2; i++) {
      const dBefore = snapshot(t.dVariables);
      const batch = randomBatch(2, 2, 64, 4 + 10 * i);
      const r = await t.step(batch, 1e-3);
      disposeBatch(batch);
      expect(r.applied).toBe(true);
      for (const key of [
        'g.adversarial',
        'g.l1',
        'g.vgg19',
        'g.total',
        'd.logistic',
        'd.r1',
        'd.r2',
        'd.total',
      ])
        expect(Number.isFinite(r.losses[key])).toBe(true);
      const dAfter = snapshot(t.dVariables);
      expect(dAfter.some((a, j) => a.some((v, q) => v !== dBefore[j]![q]))).toBe(true);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(t.gOptimizer.step).toBe(2);
    expect(t.dOptimizer.step).toBe(2);
    t.dispose();
    m.dispose();
  });

  it('fine-tuning: encoders frozen, G^l/G^I/D trained, lr schedule, numTensors flat', async () => {
    const m = model(3);
    const batch = randomBatch(1, 2, 64, 5);
    const encBefore = snapshot(
      Object.fromEntries(m.styleEncoder.namedParameters().map(([n, p]) => [n, p.value])),
    );
    const ft = new FineTuner(
      m,
      { shots: batch.sources, shotLandmarks: batch.sourceLandmarks },
      { steps: 4, losses: lossConfig({ stage2: { vgg19: 0, vggFacePerLayer: 0, identity: 0 } }) },
    );
    const lrs: number[] = [];
    const counts: number[] = [];
    await ft.run((_, r) => {
      expect(r.applied).toBe(true);
      lrs.push(r.losses.lr!);
      counts.push(tf.memory().numTensors);
    });
    expect(lrs).toEqual([1e-3, 1e-3, 1e-3, 1e-3 / 50]);
    expect(counts[3]).toBe(counts[1]);
    const encAfter = snapshot(
      Object.fromEntries(m.styleEncoder.namedParameters().map(([n, p]) => [n, p.value])),
    );
    expect(encAfter).toEqual(encBefore);
    await expect(ft.step()).rejects.toThrow(/all 4 steps are done/);
    ft.dispose();
    disposeBatch(batch);
    m.dispose();
  });
});
