import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { randomFeatureNetwork } from '@th/features';
import type { CheckpointMeta } from '@th/models';
import { defaultLossConfig } from '@th/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFinetuneLosses, trainingObjective } from './training-objective';

/** A checkpoint description whose `extra` is `extra` (the rest is not read). */
const metaWith = (extra: Record<string, unknown>) => ({ extra }) as unknown as CheckpointMeta;

const recorded = (stage2: Record<string, number>, more: Record<string, unknown> = {}) =>
  metaWith({
    train: {
      seed: 7,
      vgg19: 'proxy',
      losses: { stage1: defaultLossConfig().stage1, stage2, ...more },
    },
  });

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

describe('trainingObjective (fine-tuning with the losses a checkpoint was trained with)', () => {
  it("falls back to LSR's defaults, no proxy, when the checkpoint records no training", () => {
    const objective = trainingObjective(metaWith({}));
    expect(objective.losses).toEqual(defaultLossConfig());
    expect(objective.vgg19Proxy).toBeNull();
    expect(objective.note).toBe(
      "fine-tuning losses: LSR's defaults (the checkpoint records no training losses)",
    );
  });

  it('restores the recorded weights (unrecorded ones at their defaults) and says so', () => {
    const objective = trainingObjective(recorded({ l1: 10, penaltyInterval: 4 }), {
      log: () => {},
    });
    expect(objective.losses.stage2).toEqual({
      ...defaultLossConfig().stage2,
      l1: 10,
      penaltyInterval: 4,
    });
    expect(objective.note).toBe(
      "fine-tuning losses: the checkpoint's training losses (adversarial 1, L1 10, VGG19 0.1 (random-feature proxy, seed 7, as in training), R1/R2 γ 10/10)",
    );
    objective.vgg19Proxy?.dispose();
  });

  it("rebuilds the run's VGG19 proxy: the same features as the network th-train built from its seed", async () => {
    const objective = trainingObjective(recorded({ l1: 10 }), { log: () => {} });
    const same = randomFeatureNetwork(7, { log: () => {} });
    const other = randomFeatureNetwork(8, { log: () => {} });
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const level = (net: typeof same) => tf.tidy(() => net.extract(x).at(-1)!);
    const [a, b, c] = [level(objective.vgg19Proxy!), level(same), level(other)];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]).toBeGreaterThan(1e-3);
    tf.dispose([x, a, b, c]);
    for (const n of [objective.vgg19Proxy!, same, other]) n.dispose();
  });

  it('builds no proxy when the run trained without one, or with its VGG19 term off', () => {
    const off = metaWith({ train: { seed: 1, vgg19: 'off', losses: { stage2: { l1: 3 } } } });
    expect(trainingObjective(off).vgg19Proxy).toBeNull();
    expect(trainingObjective(off).losses.stage2.l1).toBe(3);
    expect(trainingObjective(recorded({ vgg19: 0 })).vgg19Proxy).toBeNull();
  });

  it('names the two fine-tuning loss choices and nothing else', () => {
    expect(['training', 'lsr', 'vgg', 'Training', undefined].map(isFinetuneLosses)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('refuses malformed recorded weights and a proxy without a seed, naming the file', () => {
    expect(() => trainingObjective(recorded({ l1: -1 }), { source: 'model.safetensors' })).toThrow(
      /^model\.safetensors: its recorded training losses \(metadata extra\.train\.losses\) are invalid: .*l1.*-1/,
    );
    const noSeed = metaWith({ train: { vgg19: 'proxy', losses: { stage2: { l1: 10 } } } });
    expect(() => trainingObjective(noSeed, { source: 'm.safetensors' })).toThrow(
      'm.safetensors: trained with the VGG19 proxy but records no integer seed (metadata extra.train.seed) to rebuild it',
    );
  });
});
