/**
 * Node-only: the evaluation sampler of docs/design.md#shot-choice over a prepared dataset. Per
 * identity:
 *
 * - FSTH layout (utterances with split 'train' and 'test'): the sources are the frames of the
 *   identity's first 'train' utterance, the hold-out targets every frame of its first 'test'
 *   utterance (by default, the identities that have both).
 * - No splits (e.g. clips): self-reenactment inside the identity's first utterance: its frames,
 *   sorted, are split in two halves; the first ⌈n/2⌉ are the sources, the rest the targets
 *   (the FSTH setting, sources and hold-out from one video, in miniature).
 *
 * The K shots are the sources at indices ⌊i·n/K⌋, i = 0..K−1, of the n sorted source frames
 * (np.linspace(0, n, K, endpoint=False); n = 32 in the paper, so K = 4 → 0, 8, 16, 24).
 */

import type { ManifestEntry } from '../dataset/format';
import { manifestEntries } from './dataset-index.node-only';
import type { EvalSubject } from './stored-frame';
import { readFrames } from './utterance-frames.node-only';

/** ⌊i·n/K⌋ for i = 0..K−1. */
export function evalShotIndices(n: number, k: number): number[] {
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`K must be in 1..${n}, got ${k}`);
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}

/** Where an identity's sources and targets come from (see the module comment). */
export interface EvalSplit {
  identity: string;
  sources: { entry: ManifestEntry; ids: string[] };
  targets: { entry: ManifestEntry; ids: string[] };
}

/** The identities of a dataset with their source and hold-out frames, sorted by identity. */
export async function evalSplits(
  dataset: string,
  identities?: readonly string[],
): Promise<EvalSplit[]> {
  // Streamed: per identity only its first utterance overall and its first of each split are kept,
  // so a VoxCeleb2-size manifest is never held in memory.
  const first = new Map<string, ManifestEntry>();
  const train = new Map<string, ManifestEntry>();
  const test = new Map<string, ManifestEntry>();
  const keepFirst = (map: Map<string, ManifestEntry>, e: ManifestEntry) => {
    const had = map.get(e.identity);
    if (!had || e.key < had.key) map.set(e.identity, e);
  };
  for await (const e of manifestEntries(dataset)) {
    keepFirst(first, e);
    if (e.split === 'train') keepFirst(train, e);
    if (e.split === 'test') keepFirst(test, e);
  }
  const fsth = test.size > 0;
  const all = [...first.keys()].sort();
  // FSTH layout: by default the identities that have both splits.
  const wanted = identities ?? (fsth ? all.filter((id) => train.has(id) && test.has(id)) : all);
  return wanted.map((identity) => {
    if (!first.has(identity))
      throw new Error(`${dataset}: identity "${identity}" not found (have ${all.join(', ')})`);
    if (fsth) {
      const source = train.get(identity);
      const hold = test.get(identity);
      if (!source)
        throw new Error(`${dataset}: identity "${identity}" has no 'train' (source) frames`);
      if (!hold)
        throw new Error(`${dataset}: identity "${identity}" has no 'test' (hold-out) frames`);
      return {
        identity,
        sources: { entry: source, ids: [...source.frames].sort() },
        targets: { entry: hold, ids: [...hold.frames].sort() },
      };
    }
    const utterance = first.get(identity)!;
    const sorted = [...utterance.frames].sort();
    if (sorted.length < 2)
      throw new Error(
        `${dataset}: ${utterance.key} has ${sorted.length} frame; a self-reenactment split needs 2`,
      );
    const half = Math.ceil(sorted.length / 2);
    return {
      identity,
      sources: { entry: utterance, ids: sorted.slice(0, half) },
      targets: { entry: utterance, ids: sorted.slice(half) },
    };
  });
}

/** Per identity: K shots and every hold-out target, read from the dataset. */
export async function* evalSubjects(
  dataset: string,
  k: number,
  identities?: readonly string[],
): AsyncGenerator<EvalSubject> {
  for (const split of await evalSplits(dataset, identities)) {
    const n = split.sources.ids.length;
    if (k > n)
      throw new Error(
        `${split.identity} has ${n} source frames; K = ${k} needs more (FSTH has 32)`,
      );
    const shotIds = evalShotIndices(n, k).map((i) => split.sources.ids[i]!);
    yield {
      identity: split.identity,
      k,
      resolution: split.sources.entry.width,
      sourceIds: split.sources.ids,
      shotIds,
      shots: await readFrames(dataset, split.sources.entry, shotIds),
      targets: await readFrames(dataset, split.targets.entry, split.targets.ids),
    };
  }
}
