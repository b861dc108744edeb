import { type ClipFrames, LSR_CLIP_FRAMES } from '../frames/select-frames';
/**
 * The @th/data dataset format (version 2). A dataset folder holds:
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

/** 2: members at the dataset's resolution (`settings.resolution`), landmarks in stored pixels. */
export const FORMAT_VERSION = 2;

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
  /** how the landmarks were obtained ('face-api', 'json' beside each frame, or a landmark 'file') */
  landmarkSource: string;
  shard: string;
  /** byte range of this utterance's tar members inside the shard */
  offset: number;
  length: number;
}

/** Contents of `<key>/meta.json` inside a shard. */
export interface UtteranceMeta {
  key: string;
  identity: string;
  video: string;
  utterance: string;
  split: string;
  frames: string[];
  /** stored size (the dataset's resolution R; every member is R×R) */
  width: number;
  height: number;
  /** size of the input frames (centre square resized to R×R) */
  sourceWidth: number;
  sourceHeight: number;
  /** per frame, 68 [x, y] pairs in stored (R×R) pixels */
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
  /** side of every stored image (frames, landmark images, segmentations are R×R) */
  resolution: number;
  shardsPlanned: number;
  shardsDone: number;
  utterances: number;
  frames: number;
  failures: number;
}

export function shardName(index: number): string {
  return `shard-${String(index).padStart(6, '0')}`;
}

/** Stored resolution when none is asked for: VoxCeleb2's own 224×224. */
export const DEFAULT_RESOLUTION = 224;

/** What decides a dataset's bytes besides its inputs (stored in done records and dataset.json). */
export interface DatasetSettings {
  landmarks: 'detect' | 'detect-each' | 'json' | { file: string };
  shardSize: number;
  resolution: number;
  /** frames kept per video clip (absent: LSR's 10) */
  clipFrames?: ClipFrames;
}

/** The settings string of done records (a rerun with other settings is refused). */
export function datasetSettings(s: DatasetSettings): string {
  return JSON.stringify({
    format: FORMAT_VERSION,
    landmarks: s.landmarks,
    shardSize: s.shardSize,
    resolution: s.resolution,
    // Only when not LSR's 10, so the settings of datasets made before the option stay the same.
    ...(s.clipFrames !== undefined && s.clipFrames !== LSR_CLIP_FRAMES
      ? { clipFrames: s.clipFrames }
      : {}),
  });
}
