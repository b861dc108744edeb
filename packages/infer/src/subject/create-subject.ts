/**
 * Build a Subject from K source frames (docs/design.md#shot-choice, docs/design.md#latents):
 * landmarks given or detected, frames of any size centre-cropped and resized to the model
 * resolution (@th/data's `fitImage`, the resampler training data is prepared with), landmark
 * images rendered (`landmarkImageAt`), then z^s and z^l encoded and averaged over the shots.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  fitImage,
  type LandmarkDetector,
  type Landmarks68,
  landmarkImageAt,
  mapLandmarks,
  type RgbImage,
  squareFit,
  validateLandmarks,
} from '@th/data';
import type { LsrModel } from '@th/models';
import { imagesToTensor } from '../image/tensor-images';
import { chooseShotIndices } from './choose-shots';
import { Subject } from './subject';

export type MissingFacePolicy = 'fail' | 'skip';

/** Source frames in which no face was found, by name (`onMissingFace: 'fail'`). */
export class SourceWithoutFaceError extends Error {
  constructor(readonly frames: readonly string[]) {
    super(`no face found in source frame(s): ${frames.join(', ')}`);
    this.name = 'SourceWithoutFaceError';
  }
}

export interface CreateSubjectOptions {
  model: LsrModel;
  /** Source frames, RGB uint8, any size (non-square frames are centre-cropped). */
  frames: readonly RgbImage[];
  /** Names for messages (file names); default "frame <i>". */
  names?: readonly string[];
  /** Landmarks per frame in that frame's pixels; null = no face. Otherwise `detector` is used. */
  landmarks?: readonly (Landmarks68 | null)[];
  detector?: LandmarkDetector;
  /**
   * Shots to use (default: all usable frames); chosen by LSR's evenly spaced rule
   * (docs/design.md#shot-choice).
   */
  k?: number;
  /** A frame without a face: fail (default, listing them) or skip it (noted). */
  onMissingFace?: MissingFacePolicy;
}

export async function createSubject(options: CreateSubjectOptions): Promise<Subject> {
  const { model, frames } = options;
  const size = model.config.resolution;
  const name = (i: number) => options.names?.[i] ?? `frame ${i}`;
  if (frames.length === 0) throw new Error('createSubject: no source frames given');
  if (options.landmarks && options.landmarks.length !== frames.length) {
    throw new Error(
      `createSubject: ${options.landmarks.length} landmark sets for ${frames.length} frames`,
    );
  }
  if (!options.landmarks && !options.detector) {
    throw new Error('createSubject: give landmarks for every frame or a landmark detector');
  }
  const notes: string[] = [];
  const found: (Landmarks68 | null)[] = [];
  for (const [i, frame] of frames.entries()) {
    const given = options.landmarks?.[i];
    if (given !== undefined) found.push(given === null ? null : validateLandmarks(given, name(i)));
    else found.push(await options.detector!.detect(frame));
  }
  const missing = found.flatMap((lm, i) => (lm ? [] : [name(i)]));
  if (missing.length && (options.onMissingFace ?? 'fail') === 'fail') {
    throw new SourceWithoutFaceError(missing);
  }
  if (missing.length) notes.push(`skipped source frame(s) without a face: ${missing.join(', ')}`);
  const usable = found.flatMap((lm, i) => (lm ? [i] : []));
  if (usable.length === 0) throw new Error('no source frame has a face');
  const shotIndices = chooseShotIndices(usable.length, options.k ?? usable.length).map(
    (j) => usable[j]!,
  );

  const sizes = new Set(shotIndices.map((i) => `${frames[i]!.width}x${frames[i]!.height}`));
  if (sizes.size > 1) notes.push(`source frames have mixed sizes (${[...sizes].join(', ')})`);
  if ([...sizes].some((s) => s !== `${size}x${size}`)) {
    notes.push(
      `source frames resized to the model resolution ${size}x${size} (centre square, resizeImage)`,
    );
  }
  const shotImages: RgbImage[] = [];
  const shotLandmarks: Landmarks68[] = [];
  const landmarkImages: RgbImage[] = [];
  for (const i of shotIndices) {
    const frame = frames[i]!;
    const fit = squareFit(frame.width, frame.height, size);
    shotImages.push(fitImage(frame, size));
    const lm = mapLandmarks(found[i]!, fit);
    shotLandmarks.push(lm);
    landmarkImages.push(landmarkImageAt(lm, size));
  }
  const k = shotIndices.length;
  const shots = tf.tidy(() =>
    tf.reshape(imagesToTensor(shotImages), [1, k, size, size, 3]),
  ) as tf.Tensor5D;
  const lmImages = tf.tidy(() =>
    tf.reshape(imagesToTensor(landmarkImages), [1, k, size, size, 3]),
  ) as tf.Tensor5D;
  const latents = model.encode(shots, lmImages);
  return new Subject(model, latents, shots, lmImages, shotLandmarks, shotIndices, notes);
}
