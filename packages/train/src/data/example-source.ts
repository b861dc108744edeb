import type * as tf from '@tensorflow/tfjs-core';

/**
 * One training batch of K-shot examples (docs/design.md#training-examples): B identities, each with
 * K source frames and
 * their landmark images, plus one target frame of the same video, its landmark image and its
 * oracle segmentation. Images are float32 NHWC in [-1, 1]; the segmentation holds class ids.
 */
export interface ExampleBatch {
  sources: tf.Tensor5D; // [B, K, H, W, 3]
  sourceLandmarks: tf.Tensor5D; // [B, K, H, W, 3]
  target: tf.Tensor4D; // [B, H, W, 3]
  targetLandmarks: tf.Tensor4D; // [B, H, W, 3]
  targetSegmentation: tf.Tensor3D; // [B, H, W] int32
}

/** JSON-serialisable position of a source's random stream (stored in checkpoints). */
export type SourceState = Record<string, unknown>;

/**
 * Where training batches come from. `next` must be deterministic given the state, so that a run
 * resumed from a checkpoint sees exactly the batches an uninterrupted run would have seen.
 */
export interface ExampleSource {
  readonly batchSize: number;
  readonly k: number;
  readonly resolution: number;
  /** The next batch; the caller owns (and disposes) its tensors. */
  next(): ExampleBatch;
  getState(): SourceState;
  setState(state: SourceState): void;
}

/** Dispose every tensor of a batch. */
export function disposeBatch(batch: ExampleBatch): void {
  batch.sources.dispose();
  batch.sourceLandmarks.dispose();
  batch.target.dispose();
  batch.targetLandmarks.dispose();
  batch.targetSegmentation.dispose();
}
