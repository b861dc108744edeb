/**
 * Inputs the benches share: seeded images and the stage-2 trainer they time (no perceptual
 * losses, like the PyTorch reference `bench_step.py`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LsrModel } from '@th/models';
import { type ExampleBatch, lossConfig, Stage2Trainer } from '../src/index';

/** tanh of a seeded normal: values spread over (−1, 1) like real image inputs. */
export const benchImage = (shape: number[], seed: number): tf.Tensor =>
  tf.tidy(() => tf.tanh(tf.randomNormal(shape, 0, 1, 'float32', seed)));

/** A stage-2 batch of bench images (seeds 1–4) at resolution r. */
export function benchStage2Batch(batch: number, k: number, r: number): ExampleBatch {
  return {
    sources: benchImage([batch, k, r, r, 3], 1) as tf.Tensor5D,
    sourceLandmarks: benchImage([batch, k, r, r, 3], 2) as tf.Tensor5D,
    target: benchImage([batch, r, r, 3], 3) as tf.Tensor4D,
    targetLandmarks: benchImage([batch, r, r, 3], 4) as tf.Tensor4D,
    // Stage 2 learns the layout unsupervised: the segmentation is never read.
    targetSegmentation: tf.zeros([batch, r, r], 'int32') as tf.Tensor3D,
  };
}

/** The benches' losses: VGG19, VGG-Face and identity weights 0. */
export const benchStage2Losses = () =>
  lossConfig({ stage2: { vgg19: 0, vggFacePerLayer: 0, identity: 0 } });

/** The timed stage-2 trainer, with the benches' losses. */
export function benchStage2Trainer(model: LsrModel, fusedAdam: boolean): Stage2Trainer {
  return new Stage2Trainer(model, { losses: benchStage2Losses(), adam: { fused: fusedAdam } });
}
