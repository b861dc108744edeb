/**
 * Batching K-shot examples into tfjs tensors, with the normalisation of
 * docs/design.md#training-examples: RGB and landmark
 * images map uint8 → [−1, 1] as v·2/255 − 1; segmentations stay integer class ids (int32).
 */
import * as tf from '@tensorflow/tfjs-core';
import { signedUnits } from '../image/rgb-image';
import type { KShotExample } from './kshot-example';

export interface KShotBatch {
  /** [B, K, H, W, 3] */
  sources: tf.Tensor5D;
  /** [B, K, H, W, 3] */
  sourceLandmarks: tf.Tensor5D;
  /** [B, H, W, 3] */
  target: tf.Tensor4D;
  /** [B, H, W, 3] */
  targetLandmarks: tf.Tensor4D;
  /** [B, H, W] int32 class ids */
  targetSegmentation: tf.Tensor3D;
}

export function batchToTensors(examples: readonly KShotExample[]): KShotBatch {
  const first = examples[0];
  if (!first) throw new Error('batchToTensors: empty batch');
  const { k, height: h, width: w } = first;
  for (const e of examples) {
    if (e.k !== k || e.height !== h || e.width !== w) {
      throw new Error(
        `batchToTensors: example ${e.key} is K=${e.k} ${e.width}x${e.height}, batch is K=${k} ${w}x${h}`,
      );
    }
  }
  const b = examples.length;
  const seg = new Int32Array(b * h * w);
  for (const [i, e] of examples.entries()) seg.set(e.targetSegmentation, i * h * w);
  return {
    sources: tf.tensor5d(signedUnits(examples.map((e) => e.sources)), [b, k, h, w, 3]),
    sourceLandmarks: tf.tensor5d(signedUnits(examples.map((e) => e.sourceLandmarks)), [
      b,
      k,
      h,
      w,
      3,
    ]),
    target: tf.tensor4d(signedUnits(examples.map((e) => e.target)), [b, h, w, 3]),
    targetLandmarks: tf.tensor4d(signedUnits(examples.map((e) => e.targetLandmarks)), [b, h, w, 3]),
    targetSegmentation: tf.tensor3d(seg, [b, h, w], 'int32'),
  };
}
