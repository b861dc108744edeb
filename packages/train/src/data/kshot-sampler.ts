import * as tf from '@tensorflow/tfjs-core';
import type { ExampleBatch, ExampleSource, SourceState } from './example-source';
import { type FrameStore, validateFrameStore } from './frame-store';
import { SeededRandom } from './seeded-random';

export interface KShotSamplerOptions {
  batchSize: number;
  k: number;
  seed: number;
}

/**
 * K-shot examples as LSR draws them (spec §d): pick a video uniformly, permute its frames, the
 * first K become the sources and the last the target (so sources and target never coincide while
 * the video has > K frames). Videos with fewer than K + 1 frames are skipped. All randomness comes
 * from one `SeededRandom`, whose state is the sampler's checkpointable state.
 */
export class KShotSampler implements ExampleSource {
  readonly batchSize: number;
  readonly k: number;
  readonly resolution: number;
  private readonly rng: SeededRandom;
  private readonly usable: FrameStore['videos'];

  constructor(
    readonly store: FrameStore,
    options: KShotSamplerOptions,
  ) {
    validateFrameStore(store);
    const { batchSize, k } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`KShotSampler: batchSize must be an integer >= 1, got ${batchSize}`);
    if (!Number.isInteger(k) || k < 1)
      throw new Error(`KShotSampler: k must be an integer >= 1, got ${k}`);
    this.batchSize = batchSize;
    this.k = k;
    this.resolution = store.resolution;
    this.usable = store.videos.filter((v) => v.frames.length >= k + 1);
    if (this.usable.length === 0) {
      const most = Math.max(...store.videos.map((v) => v.frames.length));
      throw new Error(
        `KShotSampler: no video has K + 1 = ${k + 1} frames (the largest has ${most})`,
      );
    }
    this.rng = new SeededRandom(options.seed);
  }

  next(): ExampleBatch {
    const { k, batchSize: b, resolution: r } = this;
    const px = r * r * 3;
    const sources = new Float32Array(b * k * px);
    const sourceLms = new Float32Array(b * k * px);
    const target = new Float32Array(b * px);
    const targetLms = new Float32Array(b * px);
    const seg = new Int32Array(b * r * r);
    for (let i = 0; i < b; i++) {
      const video = this.usable[this.rng.int(this.usable.length)]!;
      const order = this.rng.sample(video.frames.length, video.frames.length);
      for (let j = 0; j < k; j++) {
        const f = video.frames[order[j]!]!;
        sources.set(f.rgb, (i * k + j) * px);
        sourceLms.set(f.landmarks, (i * k + j) * px);
      }
      const t = video.frames[order[order.length - 1]!]!;
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
    return { rng: this.rng.state };
  }

  setState(state: SourceState): void {
    const value = state.rng;
    if (typeof value !== 'number')
      throw new Error(`KShotSampler.setState: missing numeric "rng" in ${JSON.stringify(state)}`);
    this.rng.state = value;
  }
}
