/**
 * Node-only: the K-shot training loader (docs/design.md#training-examples). Each epoch visits the
 * utterances in a seeded
 * random order; for each, the stored frames are randomly permuted, the first K become the sources
 * and the last the target, so sources and target always come from the same utterance. Examples
 * are decoded ahead of the consumer (`prefetch`) and can be grouped into batches.
 */
import { readManifest } from '../dataset/dataset-files.node-only';
import type { ManifestEntry } from '../dataset/format';
import type { KShotExample } from './kshot-example';
import { prefetch } from './prefetch';
import { deriveSeed, mulberry32, shuffleInPlace } from './seeded-random';
import { type Resolution, readFrames, stack } from './utterance-frames.node-only';

export interface KShotLoaderOptions {
  dataset: string;
  /** number of source frames (LSR trains with 4) */
  k: number;
  /** output size (default 224×224) */
  resolution?: Resolution;
  seed?: number;
  /** epochs to run (default 1; Infinity to repeat forever) */
  epochs?: number;
  /** keep only utterances of this split ('' = no split) */
  split?: string;
  /** examples decoded ahead (default 8) */
  prefetch?: number;
}

/** Utterances usable for K-shot examples: at least K + 1 frames (and the split, if given). */
export async function usableUtterances(options: KShotLoaderOptions): Promise<ManifestEntry[]> {
  if (!Number.isInteger(options.k) || options.k < 1)
    throw new Error(`K must be a positive integer, got ${options.k}`);
  const all = await readManifest(options.dataset);
  const usable = all.filter(
    (e) =>
      e.frames.length > options.k && (options.split === undefined || e.split === options.split),
  );
  if (usable.length === 0) {
    throw new Error(
      `${options.dataset}: no utterance has the ${options.k + 1} frames a K=${options.k} example needs`,
    );
  }
  return usable;
}

async function* examplesInOrder(options: KShotLoaderOptions): AsyncGenerator<KShotExample> {
  const entries = await usableUtterances(options);
  const size = options.resolution ?? { width: 224, height: 224 };
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 1;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const random = mulberry32(deriveSeed(seed, epoch));
    for (const entry of shuffleInPlace([...entries], random)) {
      const order = shuffleInPlace([...entry.frames], random);
      const chosen = [...order.slice(0, options.k), order.at(-1)!];
      const frames = await readFrames(options.dataset, entry, chosen, size);
      const target = frames[options.k]!;
      const sources = frames.slice(0, options.k);
      yield {
        key: entry.key,
        identity: entry.identity,
        k: options.k,
        width: size.width,
        height: size.height,
        frames: chosen,
        sources: stack(sources.map((f) => f.rgb)),
        sourceLandmarks: stack(sources.map((f) => f.landmarks)),
        target: target.rgb,
        targetLandmarks: target.landmarks,
        targetSegmentation: target.segmentation,
      };
    }
  }
}

/** K-shot examples with background prefetch. */
export function kShotExamples(options: KShotLoaderOptions): AsyncGenerator<KShotExample> {
  return prefetch(examplesInOrder(options), options.prefetch ?? 8);
}

/** Group examples into arrays of `size` (the last, shorter batch is kept unless `dropLast`). */
export async function* batches<T>(
  source: AsyncIterable<T>,
  size: number,
  dropLast = false,
): AsyncGenerator<T[]> {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`batch size must be a positive integer, got ${size}`);
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0 && !dropLast) yield batch;
}
