import type { Landmarks68 } from '../landmarks/landmarks';

/** One frame of a prepared dataset as stored (R×R). */
export interface StoredFrame {
  id: string;
  /** R·R·3 RGB */
  rgb: Uint8Array;
  /** R·R·3 landmark image */
  landmarkImage: Uint8Array;
  /** R·R class ids */
  segmentation: Uint8Array;
  /** 68 points in R×R pixels */
  landmarks: Landmarks68;
}

/** One identity of the evaluation protocol (docs/design.md#shot-choice): K shots and every hold-out target. */
export interface EvalSubject {
  identity: string;
  k: number;
  /** the dataset's resolution: every image is R×R */
  resolution: number;
  /** all source frame ids (sorted) and the K chosen as shots */
  sourceIds: string[];
  shotIds: string[];
  shots: StoredFrame[];
  /** every hold-out frame: rgb (ground truth), landmark image and landmarks (driver), segmentation */
  targets: StoredFrame[];
}
