/**
 * Node-only ArcFace embedder from user-supplied weights: insightface arcface_torch IResNet-50 /
 * -100 (any depth of its IResNet family) saved as safetensors with the PyTorch state-dict names
 * (`tools/python/convert-arcface.py` makes such a file from a `backbone.pth`). The face is found by
 * face-api, aligned to the ArcFace 112x112 template from 5 points, normalised as
 * (x/255 − 0.5)/0.5, and the 512-d feature is L2-normalised. This is the network family of
 * FSTH's CSIM; the weights decide which published number it is comparable with.
 */

import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors } from '@th/backend';
import { floatArrays } from '../fid/safetensors-arrays';
import type { HwcImage } from '../image';
import { createArcFaceAligner } from './arcface-aligner.node-only';
import { arcfaceNormalize, createIResNet } from './iresnet';
import { IRESNET_DEPTHS, inferIResNetLayout, iresnetParameters } from './iresnet-layout';
import { l2Normalize } from './l2-normalize';
import type { DisposableEmbedder } from './mobileface-embedder.node-only';
import { onWasmBackend } from './wasm-backend.node-only';

/** "IResNet-100" for the standard depths, else the blocks per stage. */
export function iresnetArchName(layers: readonly number[]): string {
  const known = Object.entries(IRESNET_DEPTHS).find(([, d]) => d.join() === layers.join());
  return known ? `IResNet-${known[0].slice('iresnet'.length)}` : `IResNet ${layers.join('-')}`;
}

/**
 * Loads the IResNet from `weightsFile` (safetensors, read by `@th/backend`: F32, F16 or BF16) and
 * face-api's landmarks, on wasm. Errors name the file and the tensor at fault.
 */
export async function arcFaceEmbedder(weightsFile: string): Promise<DisposableEmbedder> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(weightsFile);
  } catch (error) {
    throw new Error(`ArcFace weights: cannot read ${weightsFile} (${(error as Error).message})`);
  }
  const { tensors } = decodeSafetensors(bytes, weightsFile);
  const { layers, numFeatures } = inferIResNetLayout(tensors, weightsFile);
  const name = `ArcFace ${iresnetArchName(layers)}`;
  const expected = iresnetParameters(layers, numFeatures);
  const net = await onWasmBackend(() =>
    createIResNet(floatArrays(tensors, weightsFile, expected), weightsFile),
  );
  const aligner = await createArcFaceAligner(name);
  return {
    name,
    async embed(
      image: HwcImage,
      landmarks?: readonly (readonly [number, number])[],
    ): Promise<Float32Array> {
      const crop = await aligner.align(image, landmarks);
      const features = await onWasmBackend(async () => {
        const input = tf.tensor4d(arcfaceNormalize(crop.data), [1, 112, 112, 3]);
        const output = net.forward(input);
        try {
          return await output.data();
        } finally {
          tf.dispose([input, output]);
        }
      });
      return l2Normalize(features);
    },
    dispose(): void {
      net.dispose();
      aligner.dispose();
    },
  };
}
