/**
 * The @th/data dataset format (version 1). A dataset folder holds:
 *
 * - `shards/shard-NNNNNN.tar`: ustar archives; per utterance the members
 *   `<key>/meta.json`, and per frame `<key>/<frame>.rgb.png`, `<key>/<frame>.contour.png`
 *   (landmark image) and `<key>/<frame>.seg.png` (8-bit class ids).
 * - `done/shard-NNNNNN.json`: one {@link ShardRecord} per finished shard (SHA-256, byte count,
 *   manifest lines, failures). A shard counts as done only when this record exists; both files
 *   are written atomically (temp + rename), shard first.
 * - `manifest.jsonl`: one {@link ManifestEntry} per utterance, assembled from the done records.
 * - `failures.jsonl`: one {@link FailureRecord} per skipped unit, assembled the same way.
 * - `dataset.json`: {@link DatasetSummary} written at the end of each `prepare` run.
 */

export const FORMAT_VERSION = 1;

/** Processing stages recorded per utterance (which steps produced the stored members). */
export type Stage = 'frames' | 'landmarks' | 'contour' | 'segmentation';

export interface ManifestEntry {
  /** unique id of the utterance: its path below the input root, without extension */
  key: string;
  identity: string;
  video: string;
  utterance: string;
  /** 'train' / 'test' for the FSTH evaluation layout, '' otherwise */
  split: string;
  /** frame ids in stored order ("00000", ...) */
  frames: string[];
  width: number;
  height: number;
  stages: Stage[];
  /** how the landmarks were obtained ('face-api' or 'json') */
  landmarkSource: string;
  shard: string;
  /** byte range of this utterance's tar members inside the shard */
  offset: number;
  length: number;
}

/** Contents of `<key>/meta.json` inside a shard. */
export interface UtteranceMeta {
  key: string;
  frames: string[];
  width: number;
  height: number;
  /** per frame, 68 [x, y] pairs */
  landmarks: [number, number][][];
  /** conversions applied to the inputs (grayscale → RGB, alpha dropped, …) */
  notes: string[];
}

export interface FailureRecord {
  key: string;
  /** the file that could not be used */
  file: string;
  reason: string;
}

export interface ShardRecord {
  format: number;
  shard: string;
  /** units planned into this shard, in order (a change of input invalidates the record) */
  units: string[];
  settings: string;
  sha256: string;
  bytes: number;
  entries: ManifestEntry[];
  failures: FailureRecord[];
}

export interface DatasetSummary {
  format: number;
  settings: string;
  shardsPlanned: number;
  shardsDone: number;
  utterances: number;
  frames: number;
  failures: number;
}

export function shardName(index: number): string {
  return `shard-${String(index).padStart(6, '0')}`;
}
