import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, mulberry32, shuffleInPlace } from '@th/data';
import type { ExampleBatch, ExampleSource, SourceState } from './example-source';
import { type FrameStore, validateFrameStore } from './frame-store';

export interface KShotSamplerOptions {
  batchSize: number;
  k: number;
  seed: number;
}

/**
 * K-shot examples as LSR draws them (docs/design.md#training-examples), with @th/data's loader
 * rule: pick a video
 * uniformly, permute its frames (`shuffleInPlace`), the first K become the sources and the last
 * the target, so sources and target never coincide while the video has > K frames. Videos with
 * fewer than K + 1 frames are skipped.
 *
 * Batch i draws from its own stream `mulberry32(deriveSeed(seed, i))` (@th/data), so the whole
 * checkpointable state is the seed and the number of batches drawn: resuming needs no generator
 * internals and is O(1).
 */
export class KShotSampler implements ExampleSource {
  readonly batchSize: number;
  readonly k: number;
  readonly resolution: number;
  private seed: number;
  private batches = 0;
  private readonly usable: FrameStore['videos'];

  constructor(
    readonly store: FrameStore,
    options: KShotSamplerOptions,
  ) {
    validateFrameStore(store);
    const { batchSize, k, seed } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`KShotSampler: batchSize must be an integer >= 1, got ${batchSize}`);
    if (!Number.isInteger(k) || k < 1)
      throw new Error(`KShotSampler: k must be an integer >= 1, got ${k}`);
    if (!Number.isInteger(seed))
      throw new Error(`KShotSampler: seed must be an integer, got ${seed}`);
    this.batchSize = batchSize;
    this.k = k;
    this.seed = seed >>> 0;
    this.resolution = store.resolution;
    this.usable = store.videos.filter((v) => v.frames.length >= k + 1);
    if (this.usable.length === 0) {
      const most = Math.max(...store.videos.map((v) => v.frames.length));
      throw new Error(
        `KShotSampler: no video has K + 1 = ${k + 1} frames (the largest has ${most})`,
      );
    }
  }

  next(): ExampleBatch {
    const { k, batchSize: b, resolution: r } = this;
    const random = mulberry32(deriveSeed(this.seed, this.batches));
    this.batches += 1;
    const px = r * r * 3;
    const sources = new Float32Array(b * k * px);
    const sourceLms = new Float32Array(b * k * px);
    const target = new Float32Array(b * px);
    const targetLms = new Float32Array(b * px);
    const seg = new Int32Array(b * r * r);
    for (let i = 0; i < b; i++) {
      const video = this.usable[Math.floor(random() * this.usable.length)]!;
      const order = shuffleInPlace([...video.frames], random);
      for (let j = 0; j < k; j++) {
        sources.set(order[j]!.rgb, (i * k + j) * px);
        sourceLms.set(order[j]!.landmarks, (i * k + j) * px);
      }
      const t = order[order.length - 1]!;
      target.set(t.rgb, i * px);
      targetLms.set(t.landmarks, i * px);
      seg.set(t.segmentation, i * r * r);
    }
    return {
      sources: tf.tensor5d(sources, [b, k, r, r, 3]),
      sourceLandmarks: tf.tensor5d(sourceLms, [b, k, r, r, 3]),
      target: tf.tensor4d(target, [b, r, r, 3]),
      targetLandmarks: tf.tensor4d(targetLms, [b, r, r, 3]),
      targetSegmentation: tf.tensor3d(seg, [b, r, r], 'int32'),
    };
  }

  getState(): SourceState {
    return { seed: this.seed, batches: this.batches };
  }

  setState(state: SourceState): void {
    const { seed, batches } = state;
    if (
      typeof seed !== 'number' ||
      !Number.isInteger(seed) ||
      typeof batches !== 'number' ||
      !Number.isInteger(batches) ||
      batches < 0
    )
      throw new Error(
        `KShotSampler.setState: expected {seed, batches} integers, got ${JSON.stringify(state)}` +
          ('rng' in state ? ' (older checkpoints stored {rng}; they cannot be resumed)' : ''),
      );
    this.seed = seed >>> 0;
    this.batches = batches;
  }
}
