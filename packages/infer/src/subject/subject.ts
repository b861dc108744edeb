/**
 * A subject: one identity encoded from K shots (docs/design.md#latents). Holds the frozen latents
 * (z^s, z^l),
 * the K shots and their landmark images at model resolution (kept for fine-tuning), the shots'
 * landmarks and their mean shape (for face-shape adaptation), and the notes made while building it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Landmarks68 } from '@th/data';
import type { Latents, LsrModel } from '@th/models';
import { meanShape } from '../landmarks/adapt-shape';
import { FrameSynthesis } from '../render/frame-synthesis';
import { type FinetuneOptions, type FinetuneReport, finetuneSubject } from './finetune';

export class Subject {
  /** Mean of the shots' landmarks in model pixels (S̄ of the shape adaptation). */
  readonly meanShape: Landmarks68;
  /**
   * Per-frame synthesis with these latents: on WebGPU a captured graph, replayed for every frame
   * (`synthesis.status` says which path runs and why; see frame-synthesis.ts).
   */
  readonly synthesis: FrameSynthesis;
  private disposed = false;

  constructor(
    readonly model: LsrModel,
    readonly latents: Latents,
    /** [1, K, R, R, 3] in [-1, 1] */
    readonly shots: tf.Tensor5D,
    readonly shotLandmarkImages: tf.Tensor5D,
    /** Per shot, in model pixels. */
    readonly shotLandmarks: readonly Landmarks68[],
    /** Which input frames became the shots (indices into the frames given). */
    readonly shotIndices: readonly number[],
    /** Warnings and decisions made while building (resizing, skipped frames). */
    readonly notes: readonly string[],
  ) {
    this.meanShape = meanShape(shotLandmarks);
    this.synthesis = new FrameSynthesis(model, latents);
  }

  get k(): number {
    return this.shots.shape[1];
  }

  get resolution(): number {
    return this.model.config.resolution;
  }

  /** Throws once `dispose()` has run (a clear message instead of a tfjs "disposed" error). */
  assertAlive(where: string): void {
    if (this.disposed) throw new Error(`${where}: this subject has been disposed`);
  }

  /**
   * Subject fine-tuning (docs/design.md#finetuning): G^l, G^I and D are trained IN PLACE on this
   * subject's shots with
   * the latents frozen. The model is changed for every later render; reload it for another subject.
   */
  async finetune(options: FinetuneOptions = {}): Promise<FinetuneReport> {
    this.assertAlive('finetune');
    // The captured graphs' buffers are memory fine-tuning can use, and the weights they read get
    // reassigned: the next frame captures again from the tuned weights.
    this.synthesis.invalidate();
    return finetuneSubject(this, options);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.synthesis.dispose();
    tf.dispose([this.latents.zs, this.latents.zl, this.shots, this.shotLandmarkImages]);
  }
}
