import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { rawToTensor } from '@th/backend';
import { ensureDataset, lineSink, manifestEntries, parseLandmarkMode } from '@th/data/node';
import { type FeatureNetwork, loadVgg19, loadVggFace, randomFeatureNetwork } from '@th/features';
import { decodeCheckpoint, LsrModel, presetConfig } from '@th/models';
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

/** The model resolution of a config, without building the model. */
export function resolutionOf(config: TrainConfig): number {
  return presetConfig(config.preset, config.model).resolution;
}

/** The error of a run without data: what to pass. */
export const NO_DATA =
  'no training data given: pass --data DATASET (a dataset made by th-data prepare, or a folder of clips or frames to prepare first)';

/**
 * The config's dataset at the model's resolution: a prepared dataset as it is, or a folder of
 * clips/frames prepared (with progress in the log) into `data.cache` (default
 * `<run.parent>/datasets`), reused by later runs.
 */
export async function trainingDataset(
  config: TrainConfig,
  log: (line: string) => void,
): Promise<string> {
  if (!config.data.path) throw new Error(NO_DATA);
  const { dir } = await ensureDataset(config.data.path, {
    resolution: resolutionOf(config),
    cacheDir: config.data.cache ?? join(config.run.parent, 'datasets'),
    landmarks: parseLandmarkMode(config.data.landmarks),
    log: lineSink(log),
  });
  return dir;
}

/**
 * Identities of the dataset with both source ('train') and hold-out ('test') frames: the ones
 * the held-out evaluation uses (the 'test' frames are never trained on). Empty when the dataset
 * has no hold-out split.
 */
export async function holdoutIdentities(dataset: string): Promise<string[]> {
  const train = new Set<string>();
  const test = new Set<string>();
  // Streamed: the manifest of a large dataset is never held in memory.
  for await (const e of manifestEntries(dataset)) {
    if (e.split === 'train') train.add(e.identity);
    if (e.split === 'test') test.add(e.identity);
  }
  return [...train].filter((id) => test.has(id)).sort();
}

/** What stage 2 takes over from a stage-1 checkpoint; E^s, G^I and D start fresh. */
const STAGE1_HANDOVER = ['layoutEncoder', 'layoutGenerator'] as const;

/**
 * Which sub-networks a stage-2 `--init` loads: E^l and G^l from a stage-1 checkpoint (it holds
 * every network, the untrained ones too), but all of them, D included, from a stage-2 checkpoint
 * (its `extra.stage`, as th-train writes it): a run continued on another machine from its
 * weights, which travel without the optimiser state (Adam restarts; with LSR's β1 = 0 only its
 * second moment is lost). null: all of them.
 */
function stage2InitNetworks(extra: Record<string, unknown> | undefined): readonly string[] | null {
  return extra?.stage === 2 ? null : STAGE1_HANDOVER;
}

/**
 * Load weights from a checkpoint into `model`, optionally only some sub-networks (`'stage2-init'`:
 * as `stage2InitNetworks` decides from the checkpoint). Returns the checkpoint's counters and which
 * sub-networks were loaded (null: all).
 */
export async function loadWeights(
  path: string,
  model: LsrModel,
  select: readonly string[] | null | 'stage2-init',
): Promise<{
  step: number;
  examplesSeen: number;
  loaded: number;
  only: readonly string[] | null;
}> {
  const { meta, tensors } = await decodeCheckpoint(new Uint8Array(await readFile(path)), path);
  const only = select === 'stage2-init' ? stage2InitNetworks(meta.extra) : select;
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
  return { step: meta.step, examplesSeen: meta.examplesSeen, loaded: expected, only };
}
