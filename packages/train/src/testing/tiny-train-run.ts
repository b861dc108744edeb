import { syntheticFrameStore } from '../data/synthetic-store';
import { defaultTrainConfig, type TrainConfig } from '../run/train-config';

/** lsr-64 topology at 1/4 width: the pure-JS cpu backend needs ~100 s per full-width step. */
export const TINY_LSR_64 = {
  latentDim: 16,
  encoder: { baseWidth: 2, maxWidth: 16 },
  layoutGenerator: { baseWidth: 2, maxWidth: 16 },
  imageGenerator: { baseWidth: 2, maxWidth: 16, spadeHidden: 4 },
  discriminator: { baseWidth: 2, maxWidth: 16 },
};

/** Deterministic synthetic train/hold-out frame stores for training-loop tests. */
export function tinyStores() {
  return {
    train: syntheticFrameStore({ resolution: 64, videos: 2, framesPerVideo: 3, seed: 7 }),
    holdout: syntheticFrameStore({ resolution: 64, videos: 2, framesPerVideo: 1, seed: 8 }),
  };
}

/** A 2-step stage-1 run of the tiny model under `parent`, with checkpoints every step. */
export function tinyTrainConfig(parent: string, overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    ...defaultTrainConfig(),
    model: TINY_LSR_64,
    stage: 1,
    steps: 2,
    batch: 2,
    k: 2,
    vgg19: 'off',
    checkpointEvery: 1,
    sampleEvery: 2,
    keepLast: 1,
    run: { parent, desc: 'test' },
    ...overrides,
  };
}
