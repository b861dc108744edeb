import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { rawToTensor } from '@th/backend';
import { writeFileAtomic } from '@th/data/node';
import { decodeCheckpoint, encodeCheckpoint, type LsrModel } from '@th/models';
import type { Adam } from '../optim/adam';

/** Everything needed to continue a run exactly. */
export interface TrainingState {
  step: number;
  examplesSeen: number;
  /** Sampler position (`ExampleSource.getState()`). */
  source: Record<string, unknown>;
  /** Anything else (stage, best metric, run id). */
  extra?: Record<string, unknown>;
}

/**
 * Write model weights + optimiser states + counters into ONE safetensors file: parameters under
 * their names, Adam moments as `optim.<key>.m/<param>` / `optim.<key>.v/<param>`, Adam step counts,
 * step, examples and the sampler state in the metadata `extra`. Written to a temp file and renamed,
 * so a crash never leaves a half-written checkpoint.
 */
export async function saveTrainingCheckpoint(
  path: string,
  model: LsrModel,
  optimizers: Readonly<Record<string, Adam>>,
  state: TrainingState,
  config: unknown,
): Promise<void> {
  const tensors: Record<string, tf.Tensor> = { ...model.stateDict() };
  const optimSteps: Record<string, number> = {};
  const owned: tf.Tensor[] = [];
  for (const [key, adam] of Object.entries(optimizers)) {
    const s = adam.getState();
    optimSteps[key] = s.step;
    for (const [name, t] of Object.entries(s.tensors)) {
      tensors[`optim.${key}.${name}`] = t;
      owned.push(t);
    }
  }
  try {
    // `config` of the checkpoint format is the MODEL config (what `loadModel` rebuilds the networks
    // from); the training config travels in `extra.train`.
    const preset = (config as { preset?: string } | null)?.preset;
    const bytes = await encodeCheckpoint(tensors, {
      config: model.config,
      ...(preset ? { preset } : {}),
      step: state.step,
      examplesSeen: state.examplesSeen,
      extra: { ...state.extra, source: state.source, optimSteps, train: config },
    });
    await writeFileAtomic(path, bytes);
  } finally {
    tf.dispose(owned);
  }
}

/**
 * Restore a checkpoint written by `saveTrainingCheckpoint`: weights into `model` (all of them),
 * optimiser states into `optimizers` (each must be present). Returns the counters.
 */
export async function loadTrainingCheckpoint(
  path: string,
  model: LsrModel,
  optimizers: Readonly<Record<string, Adam>>,
): Promise<TrainingState> {
  const { meta, tensors } = await decodeCheckpoint(new Uint8Array(await readFile(path)), path);
  const weights: Record<string, tf.Tensor> = {};
  const optim: Record<string, Record<string, tf.Tensor>> = {};
  for (const [name, raw] of tensors) {
    const m = /^optim\.([^.]+)\.(.*)$/.exec(name);
    if (!m) weights[name] = rawToTensor(raw, name);
    else if (m[1]! in optimizers) {
      const group = optim[m[1]!] ?? {};
      group[m[2]!] = rawToTensor(raw, name);
      optim[m[1]!] = group;
    }
  }
  try {
    model.loadStateDict(weights);
    const optimSteps = (meta.extra.optimSteps ?? {}) as Record<string, number>;
    for (const [key, adam] of Object.entries(optimizers)) {
      if (!optim[key] || optimSteps[key] === undefined)
        throw new Error(
          `checkpoint ${path} has no optimiser state "optim.${key}" (was it written by another stage?)`,
        );
      adam.setState({ step: optimSteps[key]!, tensors: optim[key]! });
    }
  } finally {
    tf.dispose(Object.values(weights));
    for (const group of Object.values(optim)) tf.dispose(Object.values(group));
  }
  const { source, optimSteps: _, train: _train, ...extra } = meta.extra as Record<string, unknown>;
  return {
    step: meta.step,
    examplesSeen: meta.examplesSeen,
    source: (source ?? {}) as Record<string, unknown>,
    extra,
  };
}

export const checkpointName = (step: number) => `step-${String(step).padStart(7, '0')}.safetensors`;

/** Checkpoints in a folder, oldest first. */
export async function listCheckpoints(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => /^step-\d{7}\.safetensors$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** Delete all but the newest `keepLast` checkpoints, never the one at `keepPath` (the best). */
export async function pruneCheckpoints(
  dir: string,
  keepLast: number,
  keepPath: string | null,
): Promise<void> {
  const all = await listCheckpoints(dir);
  const doomed = all.slice(0, Math.max(0, all.length - keepLast));
  for (const p of doomed)
    if (!keepPath || basename(p) !== basename(keepPath)) await rm(p, { force: true });
}
