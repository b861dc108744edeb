import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeSyntheticDataset } from '@th/data/node';
import type { ExampleBatch } from '../data/example-source';
import { defaultTrainConfig, type TrainConfig } from '../run/train-config';

/** lsr-64 topology at 1/4 width: the pure-JS cpu backend needs ~100 s per full-width step. */
export const TINY_LSR_64 = {
  latentDim: 16,
  encoder: { baseWidth: 2, maxWidth: 16 },
  layoutGenerator: { baseWidth: 2, maxWidth: 16 },
  imageGenerator: { baseWidth: 2, maxWidth: 16, spadeHidden: 4 },
  discriminator: { baseWidth: 2, maxWidth: 16 },
};

/**
 * A small synthetic dataset at 64² in the real format (@th/data's `writeSyntheticDataset`):
 * 3 identities, each with a 'train' and a 'test' (hold-out) utterance of 4 frames.
 */
export async function tinyDataset(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'th-train-data-'));
  await writeSyntheticDataset(dir, {
    utterances: 6,
    framesPerUtterance: 4,
    resolution: 64,
    utterancesPerIdentity: 2,
    distinctFrames: 6,
    shardSize: 3,
    split: (u) => (u % 2 ? 'test' : 'train'),
    seed: 7,
  });
  return dir;
}

/** A 2-step stage-1 run of the tiny model on `dataset` under `parent`, checkpoints every step. */
export function tinyTrainConfig(
  parent: string,
  dataset: string,
  overrides: Partial<TrainConfig> = {},
): TrainConfig {
  const base = defaultTrainConfig();
  return {
    ...base,
    model: TINY_LSR_64,
    stage: 1,
    steps: 2,
    batch: 2,
    k: 2,
    vgg19: 'off',
    checkpointEvery: 1,
    sampleEvery: 2,
    keepLast: 1,
    data: { ...base.data, path: dataset, workers: 0, shuffleBuffer: 3 },
    run: { parent, desc: 'test' },
    ...overrides,
  };
}

/** A batch of uniform random images in [-1, 1] and class ids in 0..18 (loop tests). */
export function randomBatch(b: number, k: number, r: number, seed: number): ExampleBatch {
  return tf.tidy(() => ({
    sources: tf.randomUniform([b, k, r, r, 3], -1, 1, 'float32', seed) as tf.Tensor5D,
    sourceLandmarks: tf.randomUniform([b, k, r, r, 3], -1, 1, 'float32', seed + 1) as tf.Tensor5D,
    target: tf.randomUniform([b, r, r, 3], -1, 1, 'float32', seed + 2) as tf.Tensor4D,
    targetLandmarks: tf.randomUniform([b, r, r, 3], -1, 1, 'float32', seed + 3) as tf.Tensor4D,
    targetSegmentation: tf.randomUniform([b, r, r], 0, 19, 'int32', seed + 4) as tf.Tensor3D,
  }));
}
