import type * as tf from '@tensorflow/tfjs-core';
import {
  decodeSafetensors,
  encodeSafetensors,
  floatToHalfBits,
  type RawTensor,
  rawToFloat32,
  tensorToRaw,
} from '@th/backend';

/**
 * @th checkpoints: one safetensors file whose `__metadata__` carries what is needed to rebuild
 * and trust the model: format version, the resolved model config and preset name, the training
 * step, package versions, and a SHA-256 of the tensor data. Loads in Node and browsers; opens
 * in PyTorch with `safetensors.torch.load_file` (tensor names are the module tree's dotted names,
 * NHWC/HWIO layouts as tfjs uses them).
 */
export const CHECKPOINT_FORMAT = 'th-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;

export interface CheckpointInfo {
  /** Resolved model config (JSON-serialisable). */
  config: unknown;
  /** Preset name the config came from, if any. */
  preset?: string;
  /** Optimiser steps taken. */
  step?: number;
  /** Training examples seen (LSR counts its schedules in examples, docs/design.md#schedule). */
  examplesSeen?: number;
  /** Package versions that wrote it, e.g. {"@th/models": "0.1.0"}. */
  versions?: Record<string, string>;
  /** Anything else worth keeping (stage, run id, ...). */
  extra?: Record<string, unknown>;
}

export interface CheckpointMeta extends Required<Omit<CheckpointInfo, 'extra' | 'preset'>> {
  format: string;
  formatVersion: number;
  preset: string | null;
  createdAt: string;
  dataSha256: string;
  extra: Record<string, unknown>;
}

export interface DecodedCheckpoint {
  meta: CheckpointMeta;
  tensors: Map<string, RawTensor>;
}

async function sha256Hex(chunks: Uint8Array[]): Promise<string> {
  const total = chunks.reduce((s, c) => s + c.byteLength, 0);
  const all = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    all.set(c, pos);
    pos += c.byteLength;
  }
  const digest = await globalThis.crypto.subtle.digest('SHA-256', all);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const sortedBytes = (tensors: Map<string, RawTensor>) =>
  [...tensors.keys()].sort().map((k) => tensors.get(k)!.bytes);

/** Serialise named tensors and their description into checkpoint bytes. */
export async function encodeCheckpoint(
  state: Record<string, tf.Tensor>,
  info: CheckpointInfo,
): Promise<Uint8Array> {
  const tensors = new Map<string, RawTensor>();
  for (const [name, t] of Object.entries(state)) tensors.set(name, await tensorToRaw(t));
  return encodeRaw(tensors, info, new Date().toISOString());
}

async function encodeRaw(
  tensors: Map<string, RawTensor>,
  info: CheckpointInfo,
  createdAt: string,
): Promise<Uint8Array> {
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    format_version: String(CHECKPOINT_FORMAT_VERSION),
    config: JSON.stringify(info.config ?? null),
    preset: info.preset ?? '',
    step: String(info.step ?? 0),
    examples_seen: String(info.examplesSeen ?? 0),
    versions: JSON.stringify(info.versions ?? {}),
    created_at: createdAt,
    extra: JSON.stringify(info.extra ?? {}),
    data_sha256: await sha256Hex(sortedBytes(tensors)),
  };
  return encodeSafetensors(tensors, metadata);
}

export interface PruneOptions {
  /**
   * Store the kept float32 tensors as IEEE half precision (F16, rounded to nearest even): half the
   * size for shipping inference weights. Loading widens them back to float32 exactly
   * (`rawToTensor`), so the model sees the rounded weights. A finite value beyond the half range
   * (|x| > 65504) is refused, naming the tensor. Integer tensors stay as they are.
   */
  half?: boolean;
}

/**
 * The same checkpoint with only the tensors `keep` accepts, e.g. the generator side without
 * optimiser state or discriminator, for shipping. Tensor bytes are copied unchanged (no float
 * round trip) unless `half` asks for F16; the description and creation time are kept and the
 * data hash is recomputed.
 */
export async function pruneCheckpoint(
  bytes: Uint8Array,
  keep: (name: string) => boolean,
  source = 'checkpoint',
  options: PruneOptions = {},
): Promise<Uint8Array> {
  const { meta, tensors } = await decodeCheckpoint(bytes, source);
  const kept = new Map([...tensors].filter(([name]) => keep(name)));
  if (kept.size === 0)
    throw new Error(`${source}: pruning would keep none of its ${tensors.size} tensors`);
  if (options.half) for (const [name, t] of kept) kept.set(name, halfTensor(t, name, source));
  const { config, preset, step, examplesSeen, versions, extra } = meta;
  return encodeRaw(
    kept,
    { config, ...(preset !== null && { preset }), step, examplesSeen, versions, extra },
    meta.createdAt,
  );
}

/** A float32 tensor stored as F16 (others unchanged); refuses values beyond the half range. */
function halfTensor(t: RawTensor, name: string, source: string): RawTensor {
  if (t.dtype !== 'F32') return t;
  const values = rawToFloat32(t, name);
  const halves = floatToHalfBits(values);
  for (let i = 0; i < values.length; i++) {
    if ((halves[i]! & 0x7c00) === 0x7c00 && Number.isFinite(values[i]!))
      throw new Error(
        `${source}: "${name}" holds ${values[i]}, beyond the half-precision range (±65504); keep it float32`,
      );
  }
  return { dtype: 'F16', shape: t.shape, bytes: new Uint8Array(halves.buffer) };
}

/**
 * Parse and verify checkpoint bytes: structure (see `decodeSafetensors`), format marker and
 * version, and the SHA-256 of the tensor data. `source` names the file in every error.
 */
export async function decodeCheckpoint(
  bytes: Uint8Array,
  source = 'checkpoint',
): Promise<DecodedCheckpoint> {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `${source}: a safetensors file but not an @th checkpoint (metadata.format = ${JSON.stringify(metadata.format ?? null)})`,
    );
  }
  const version = Number(metadata.format_version);
  if (version > CHECKPOINT_FORMAT_VERSION) {
    throw new Error(
      `${source}: checkpoint format version ${version} is newer than this @th/models (${CHECKPOINT_FORMAT_VERSION}); upgrade @th/models`,
    );
  }
  const actual = await sha256Hex(sortedBytes(tensors));
  if (actual !== metadata.data_sha256) {
    throw new Error(
      `${source}: tensor data is corrupted (SHA-256 ${actual.slice(0, 12)}… does not match the recorded ${String(metadata.data_sha256).slice(0, 12)}…)`,
    );
  }
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key] ?? 'null');
    } catch {
      throw new Error(`${source}: metadata "${key}" is not valid JSON`);
    }
  };
  const meta: CheckpointMeta = {
    format: metadata.format,
    formatVersion: version,
    config: parse('config'),
    preset: metadata.preset || null,
    step: Number(metadata.step ?? 0),
    examplesSeen: Number(metadata.examples_seen ?? 0),
    versions: (parse('versions') as Record<string, string>) ?? {},
    createdAt: metadata.created_at ?? '',
    dataSha256: metadata.data_sha256 ?? '',
    extra: (parse('extra') as Record<string, unknown>) ?? {},
  };
  return { meta, tensors };
}
