/**
 * Loading an @th checkpoint (safetensors + metadata, see @th/models) into a ready LsrModel.
 * Platform-neutral: bytes, a URL (fetch), or a file path under Node (via @th/backend's loadBytes,
 * which imports node:fs lazily). A bundled `assets/*.safetensors` is just another path/URL.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadBytes, rawToTensor } from '@th/backend';
import {
  assertMatch,
  type CheckpointMeta,
  type DeepPartial,
  decodeCheckpoint,
  type LsrConfig,
  LsrModel,
  matchState,
  resolveConfig,
} from '@th/models';
import { recordModelIdentity } from '../provenance/frame-provenance';

export interface LoadedModel {
  model: LsrModel;
  meta: CheckpointMeta;
  /** Whether the model has D loaded (needed for subject fine-tuning). */
  hasDiscriminator: boolean;
  /**
   * How the loaded weights are stored in the file: tensors per safetensors dtype (F16 and BF16
   * ones were widened exactly to float32).
   */
  storedDtypes: Record<string, number>;
  /** Optimiser-state tensors of a training checkpoint (`optim.*`), not loaded. */
  skippedOptimizerTensors: number;
  /** The name used in messages (path, URL or "checkpoint bytes"). */
  source: string;
}

export interface LoadModelOptions {
  /** Check value ranges of network inputs (a synchronous read-back per call; default false). */
  checkRange?: boolean;
  /**
   * Build and load the discriminator when the file has one (default true: fine-tuning needs it).
   * False skips it, which saves its memory where only rendering happens (e.g. a browser page).
   */
  discriminator?: boolean;
  /** Refuse a model above this resolution before allocating it (e.g. 256 in a browser tab). */
  maxResolution?: number;
  /** Name for messages when `source` is bytes. */
  name?: string;
}

export type ModelSource = Uint8Array | string | URL;

/** Read and verify a checkpoint, build the model it describes and load every tensor. */
export async function loadModel(
  source: ModelSource,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const name =
    source instanceof Uint8Array ? (options.name ?? 'checkpoint bytes') : source.toString();
  const bytes = source instanceof Uint8Array ? source : await loadBytes(source);
  const { meta, tensors } = await decodeCheckpoint(bytes, name);
  if (!meta.config || typeof meta.config !== 'object') {
    throw new Error(`${name}: checkpoint metadata has no model config`);
  }
  let config: LsrConfig;
  try {
    config = resolveConfig(meta.config as DeepPartial<LsrConfig>);
  } catch (e) {
    throw new Error(`${name}: invalid model config in checkpoint: ${(e as Error).message}`);
  }
  if (options.maxResolution !== undefined && config.resolution > options.maxResolution) {
    throw new Error(
      `${name}: resolution ${config.resolution} is above the ${options.maxResolution} allowed here`,
    );
  }
  // A training checkpoint (th-train) also holds the Adam moments as `optim.*`: inference skips
  // them, so trainer checkpoints load directly, without a strip step.
  const weights = new Map([...tensors].filter(([n]) => !n.startsWith('optim.')));
  const skippedOptimizerTensors = tensors.size - weights.size;
  const inFile = [...weights.keys()].some((k) => k.startsWith('discriminator.'));
  const hasDiscriminator = inFile && options.discriminator !== false;
  const model = new LsrModel(config, {
    discriminator: hasDiscriminator,
    checkRange: options.checkRange ?? false,
  });
  const expected = Object.fromEntries(
    model.namedParameters().map(([n, p]) => [n, { shape: p.shape, dtype: 'float32' }]),
  );
  // A skipped discriminator's tensors are the only others allowed to go unused.
  const unused = (n: string) => !hasDiscriminator && n.startsWith('discriminator.');
  const usable = new Map([...weights].filter(([n]) => !unused(n)));
  const report = assertMatch(matchState(expected, usable), {}, name);
  const values: Record<string, tf.Tensor> = {};
  const storedDtypes: Record<string, number> = {};
  for (const n of report.matched) {
    const dtype = usable.get(n)!.dtype;
    storedDtypes[dtype] = (storedDtypes[dtype] ?? 0) + 1;
  }
  try {
    for (const n of report.matched) values[n] = rawToTensor(usable.get(n)!, n);
    model.loadStateDict(values);
  } finally {
    tf.dispose(Object.values(values));
  }
  // The watermark payload and the file tags name the model by its tensor-data hash.
  recordModelIdentity(model, { sha256: meta.dataSha256, preset: meta.preset ?? undefined });
  return { model, meta, hasDiscriminator, storedDtypes, skippedOptimizerTensors, source: name };
}
