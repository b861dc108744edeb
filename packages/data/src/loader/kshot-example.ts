/**
 * One K-shot training example (docs/design.md#training-examples) as typed arrays, HWC uint8, at the
 * loader's resolution.
 */
export interface KShotExample {
  /** utterance key */
  key: string;
  identity: string;
  k: number;
  width: number;
  height: number;
  /** frame ids: K sources then the target */
  frames: string[];
  /** K·H·W·3 RGB */
  sources: Uint8Array;
  /** K·H·W·3 landmark images */
  sourceLandmarks: Uint8Array;
  /** H·W·3 */
  target: Uint8Array;
  /** H·W·3 */
  targetLandmarks: Uint8Array;
  /** H·W class ids */
  targetSegmentation: Uint8Array;
}
