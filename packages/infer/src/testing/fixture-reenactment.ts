/**
 * Test and script helper: the self-reenactment of the fixture person (id00017; K = 2 shots, the
 * two hold-out frames' poses as drivers, the fixture's face-api landmarks) as raw model outputs
 * (float32, range about [-1, 1]), for comparing two ways of running or storing one model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { fitImage, type Landmarks68, landmarkImageAt, mapLandmarks, squareFit } from '@th/data';
import { readImage } from '@th/data/node';
import type { LsrModel } from '@th/models';
import { imagesToTensor } from '../image/tensor-images';

/**
 * Loads the fixture frames once (from `fixtures`, the repository's fixtures/voxceleb2); each call
 * of the returned function renders them again.
 */
export async function fixtureReenactment(
  model: LsrModel,
  fixtures: string,
): Promise<() => Promise<Float32Array>> {
  const size = model.config.resolution;
  const marks = JSON.parse(readFileSync(join(fixtures, 'landmarks.json'), 'utf8')) as Record<
    string,
    Landmarks68
  >;
  const at = (split: string, i: number) => `${split}/id00017/OLguY5ofUrY/0000${i}_rgb.png`;
  const fit = squareFit(224, 224, size);
  const lm = (key: string) => landmarkImageAt(mapLandmarks(marks[key]!, fit), size);
  const shotKeys = [at('train', 0), at('train', 2)];
  const frames = await Promise.all(shotKeys.map((k) => readImage(join(fixtures, 'frames', k))));
  const shots = frames.map((f) => fitImage(f.image, size));
  const shotLms = shotKeys.map(lm);
  const targetLms = [at('test', 0), at('test', 1)].map(lm);
  const run = () =>
    tf.tidy(() => {
      const k = shots.length;
      const sources = tf.reshape(imagesToTensor(shots), [1, k, size, size, 3]) as tf.Tensor5D;
      const shotLandmarks = tf.reshape(imagesToTensor(shotLms), [1, k, size, size, 3]);
      const latents = model.encode(sources, shotLandmarks as tf.Tensor5D);
      const n = targetLms.length;
      return model.synthesize(
        { zs: tf.tile(latents.zs, [n, 1]), zl: tf.tile(latents.zl, [n, 1]) },
        imagesToTensor(targetLms),
      ).image;
    });
  return async () => {
    const out = run();
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  };
}

/** How far one output moves from a reference output (both about [-1, 1]). */
export interface OutputDiff {
  maxAbs: number;
  p99: number;
  mean: number;
  /** Largest |reference| (the diff is only meaningful against it). */
  range: number;
}

export function outputDiff(reference: Float32Array, other: Float32Array): OutputDiff {
  const diffs = Array.from(reference, (v, i) => Math.abs(other[i]! - v)).sort((a, b) => a - b);
  return {
    maxAbs: diffs.at(-1)!,
    p99: diffs[Math.floor(diffs.length * 0.99)]!,
    mean: diffs.reduce((a, b) => a + b, 0) / diffs.length,
    range: reference.reduce((m, v) => Math.max(m, Math.abs(v)), 0),
  };
}
