/**
 * Node-only: the evaluation sampler of docs/design.md#shot-choice for the FSTH layout. Per
 * identity, the K shots are
 * the source ("train") frames at indices ⌊i·n/K⌋, i = 0..K−1, of the n frames sorted by name
 * (np.linspace(0, n, K, endpoint=False); n = 32 in the paper, so K = 4 → 0, 8, 16, 24), and every
 * hold-out ("test") frame is a target.
 */
import { readManifest } from '../dataset/dataset-files.node-only';
import { type Resolution, readFrames, type StoredFrame, stack } from './utterance-frames.node-only';

export interface EvalSubject {
  identity: string;
  k: number;
  shotIds: string[];
  /** K·H·W·3 */
  sources: Uint8Array;
  sourceLandmarks: Uint8Array;
  /** every hold-out frame: rgb (ground truth), landmark image (driver), segmentation */
  targets: StoredFrame[];
}

/** ⌊i·n/K⌋ for i = 0..K−1. */
export function evalShotIndices(n: number, k: number): number[] {
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`K must be in 1..${n}, got ${k}`);
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}

export async function* evalSubjects(
  dataset: string,
  k: number,
  resolution: Resolution = { width: 224, height: 224 },
): AsyncGenerator<EvalSubject> {
  const manifest = await readManifest(dataset);
  const identities = [
    ...new Set(manifest.filter((e) => e.split === 'train').map((e) => e.identity)),
  ].sort();
  if (identities.length === 0)
    throw new Error(`${dataset}: no 'train' (source) frame folders for evaluation`);
  for (const identity of identities) {
    const train = manifest.find((e) => e.identity === identity && e.split === 'train')!;
    const test = manifest.find((e) => e.identity === identity && e.split === 'test');
    if (!test)
      throw new Error(
        `${dataset}: identity ${identity} has source frames but no 'test' hold-out frames`,
      );
    const sorted = [...train.frames].sort();
    const shotIds = evalShotIndices(sorted.length, k).map((i) => sorted[i]!);
    const shots = await readFrames(dataset, train, shotIds, resolution);
    const targets = await readFrames(dataset, test, [...test.frames].sort(), resolution);
    yield {
      identity,
      k,
      shotIds,
      sources: stack(shots.map((f) => f.rgb)),
      sourceLandmarks: stack(shots.map((f) => f.landmarks)),
      targets,
    };
  }
}
