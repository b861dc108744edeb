import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { decodeCheckpoint, LsrModel, presetConfig, rawToTensor } from '@th/models';
import { loadFolderStore } from '../data/folder-source';
import type { FrameStore } from '../data/frame-store';
import type { FeatureNetwork } from '../features/feature-network';
import { loadVggFace } from '../features/load-vgg-face';
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

/**
 * The loss weights of the config, validated: VGG19 terms 0 when `vgg19: 'off'`, VGG-Face
 * perceptual and identity terms 0 when no VGG-Face weights are given (`vggFace: 'off'`).
 */
export function lossesOf(config: TrainConfig): LossConfig {
  const off = config.vgg19 === 'off';
  const faceOff = vggFaceOff(config);
  return lossConfig({
    stage1: { ...config.losses.stage1, ...(off ? { auxVgg19: 0 } : {}) },
    stage2: {
      ...config.losses.stage2,
      ...(off ? { vgg19: 0 } : {}),
      ...(faceOff ? { vggFacePerLayer: 0, identity: 0 } : {}),
    },
  });
}

/** True when the run has no VGG-Face weights (run configs older than the field count as off). */
function vggFaceOff(config: TrainConfig): boolean {
  return (config.vggFace ?? 'off') === 'off';
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

/**
 * The VGG-Face network (stage 2 and fine-tuning only): loaded from the config's file, or none, in
 * which case the log says that its loss weights are 0 (they would otherwise be configured ones).
 */
export async function vggFaceOf(
  config: TrainConfig,
  log: (line: string) => void,
): Promise<FeatureNetwork | undefined> {
  if (config.stage === 1 && !config.finetune.enabled) return undefined;
  if (vggFaceOff(config)) {
    const { vggFacePerLayer, identity } = config.losses.stage2;
    if (vggFacePerLayer > 0 || identity > 0) {
      log(
        `VGG-Face: no weights given (--vgg-face FILE): VGG-Face perceptual (${vggFacePerLayer}/layer) and identity (${identity}) loss weights are set to 0`,
      );
    }
    return undefined;
  }
  const net = await loadVggFace(config.vggFace);
  log(`VGG-Face: ${config.vggFace} (${net.inputSize}x${net.inputSize} input, ${net.mean} mean)`);
  return net;
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
