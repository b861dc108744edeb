import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { decodeCheckpoint, LsrModel, presetConfig, rawToTensor } from '@th/models';
import { loadFolderStore } from '../data/folder-source';
import type { FrameStore } from '../data/frame-store';
import type { FeatureNetwork } from '../features/feature-network';
import { loadVgg19 } from '../features/load-vgg19';
import { randomFeatureNetwork } from '../features/random-feature-network';
import { type LossConfig, lossConfig } from '../losses/loss-config';
import type { TrainConfig } from './train-config';

/** A fresh model for the config (checkRange off: it would read back every input every step). */
export function buildModel(config: TrainConfig): LsrModel {
  return new LsrModel(presetConfig(config.preset, config.model), { checkRange: false }).initialize(
    config.seed,
  );
}

/** The loss weights of the config, validated (perceptual terms 0 when `vgg19: 'off'`). */
export function lossesOf(config: TrainConfig): LossConfig {
  const off = config.vgg19 === 'off';
  return lossConfig({
    stage1: { ...config.losses.stage1, ...(off ? { auxVgg19: 0 } : {}) },
    stage2: { ...config.losses.stage2, ...(off ? { vgg19: 0 } : {}) },
  });
}

/** The VGG19 feature network: a user file, the labelled random proxy, or none. */
export async function vgg19Of(
  config: TrainConfig,
  log: (line: string) => void,
): Promise<FeatureNetwork | undefined> {
  if (config.vgg19 === 'off') return undefined;
  if (config.vgg19 === 'proxy') return randomFeatureNetwork(config.seed, { log });
  return loadVgg19(config.vgg19);
}

/** Train and held-out frame stores from the config's folders. */
export async function loadStores(
  config: TrainConfig,
  cachePath: string,
  log: (line: string) => void,
): Promise<{ train: FrameStore; holdout: FrameStore | null }> {
  const resolution = presetConfig(config.preset, config.model).resolution;
  const opts = {
    resolution,
    landmarkCache: cachePath,
    log,
    maxFramesPerVideo: config.data.maxFramesPerVideo ?? undefined,
  };
  const train = await loadFolderStore(config.data.train, opts);
  const holdout = config.data.holdout ? await loadFolderStore(config.data.holdout, opts) : null;
  return { train, holdout };
}

/**
 * Load weights from a checkpoint into `model`, optionally only some sub-networks (stage 2's warm
 * start takes E^l and G^l from stage 1; E^s, G^I, D stay fresh). Returns the checkpoint's counters.
 */
export async function loadWeights(
  path: string,
  model: LsrModel,
  only: readonly string[] | null,
): Promise<{ step: number; examplesSeen: number; loaded: number }> {
  const { meta, tensors } = await decodeCheckpoint(new Uint8Array(await readFile(path)), path);
  const wanted = new Set(model.namedParameters().map(([n]) => n));
  const dict: Record<string, tf.Tensor> = {};
  for (const [name, raw] of tensors) {
    if (!wanted.has(name)) continue;
    if (only && !only.some((p) => name.startsWith(`${p}.`))) continue;
    dict[name] = rawToTensor(raw, name);
  }
  const expected = model
    .namedParameters()
    .filter(([n]) => !only || only.some((p) => n.startsWith(`${p}.`))).length;
  if (Object.keys(dict).length !== expected) {
    tf.dispose(Object.values(dict));
    throw new Error(
      `${path}: has ${Object.keys(dict).length} of the ${expected} parameters of ${only?.join(', ') ?? 'the model'} (different preset?)`,
    );
  }
  try {
    model.loadStateDict(dict, { strict: false });
  } finally {
    tf.dispose(Object.values(dict));
  }
  return { step: meta.step, examplesSeen: meta.examplesSeen, loaded: expected };
}
