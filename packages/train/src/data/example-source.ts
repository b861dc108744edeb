import type { KShotBatch } from '@th/data';

/**
 * One training batch of K-shot examples (docs/design.md#training-examples), as @th/data's
 * `batchToTensors` makes it: B utterances, each with K source frames and their landmark images,
 * plus one target frame of the same utterance, its landmark image and its oracle segmentation.
 * Images are float32 NHWC in [-1, 1]; the segmentation holds int32 class ids.
 */
export type ExampleBatch = KShotBatch;

/** JSON-serialisable position of a source (stored in checkpoints). */
export type SourceState = Record<string, unknown>;

/**
 * Where training batches come from. The batch after a given state must always be the same, so
 * that a run resumed from a checkpoint sees exactly the batches an uninterrupted run would have.
 */
export interface ExampleSource {
  readonly batchSize: number;
  readonly k: number;
  readonly resolution: number;
  /** The next batch; the caller owns (and disposes) its tensors. */
  next(): Promise<ExampleBatch>;
  /** Where the next batch comes from. */
  getState(): SourceState;
  /** Continue from a state returned by `getState` (e.g. of a checkpoint). */
  setState(state: SourceState): Promise<void>;
  close(): Promise<void>;
}

/** Dispose every tensor of a batch. */
export function disposeBatch(batch: ExampleBatch): void {
  batch.sources.dispose();
  batch.sourceLandmarks.dispose();
  batch.target.dispose();
  batch.targetLandmarks.dispose();
  batch.targetSegmentation.dispose();
}
