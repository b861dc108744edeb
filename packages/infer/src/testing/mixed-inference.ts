/**
 * Test and device-script helper: run the self-reenactment of the fixture person (id00017; K = 2
 * shots, the two hold-out frames' poses as drivers, the fixture's face-api landmarks) with a
 * checkpoint on a reference backend in f32 and on WebGPU with precision 'mixed', and measure how
 * far the output images (range about [-1, 1]) move.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type GemmPath, init, setPrecision } from '@th/backend';
import { fitImage, type Landmarks68, landmarkImageAt, mapLandmarks, squareFit } from '@th/data';
import { readImage } from '@th/data/node';
import { imagesToTensor } from '../image/tensor-images';
import { loadModel } from '../model/load-model';
import { FIXTURES } from './fixtures';

export interface MixedInferenceDiff {
  /** The GEMM path the mixed run took. */
  path: GemmPath;
  splitWeights: boolean;
  maxAbs: number;
  p99: number;
  mean: number;
  /** Largest |output| of the f32 run (the diff is only meaningful against it). */
  range: number;
}

export async function mixedInferenceDiff(
  checkpoint: string,
  options: {
    splitWeights: boolean;
    reference: 'wasm' | 'cpu' | 'webgpu';
    /** Folder of the VoxCeleb2 fixtures (default: the repository's fixtures/voxceleb2). */
    fixtures?: string;
    /** `init`'s webgpuModule, for bundles that carry tfjs-backend-webgpu inside. */
    webgpuModule?: () => Promise<unknown>;
  },
): Promise<MixedInferenceDiff> {
  const fixtures = options.fixtures ?? FIXTURES;
  // On WebGPU the first init creates Dawn's GPU object: with precision mixed it gets the toggles
  // NVIDIA needs for f16; the reference then runs with the precision switched to f32.
  await init({
    backend: options.reference,
    precision: options.reference === 'webgpu' ? 'mixed' : 'f32',
    ...(options.webgpuModule ? { webgpuModule: options.webgpuModule } : {}),
  });
  setPrecision('f32');
  const { model } = await loadModel(checkpoint);
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
  const read = async () => {
    const out = run();
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  };
  const f32 = await read();
  await init({
    backend: 'webgpu',
    precision: 'mixed',
    splitWeights: options.splitWeights,
    ...(options.webgpuModule ? { webgpuModule: options.webgpuModule } : {}),
  });
  const report = setPrecision('mixed', { splitWeights: options.splitWeights });
  const mixed = await read();
  setPrecision('f32');
  model.dispose();
  const diffs = Array.from(f32, (v, i) => Math.abs(mixed[i]! - v)).sort((a, b) => a - b);
  return {
    path: report.gemm,
    splitWeights: report.splitWeights,
    maxAbs: diffs.at(-1)!,
    p99: diffs[Math.floor(diffs.length * 0.99)]!,
    mean: diffs.reduce((a, b) => a + b, 0) / diffs.length,
    range: f32.reduce((m, v) => Math.max(m, Math.abs(v)), 0),
  };
}
