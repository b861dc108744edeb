import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, encodeSafetensors } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFsthFrames, readPngRgb } from '../eval/frame-files.node-only';
import { arraysToSafetensors } from '../fid/testing-weights';
import { cosineSimilarity } from '../id-sim';
import { FRAMES_DIR } from '../testing/read-png';
import { createArcFaceAligner } from './arcface-aligner.node-only';
import { arcFaceEmbedder, iresnetArchName } from './arcface-embedder.node-only';
import { goldenIResNetWeights } from './golden-iresnet-weights';
import { arcfaceNormalize, createIResNet } from './iresnet';
import type { DisposableEmbedder } from './mobileface-embedder.node-only';
import { onWasmBackend } from './wasm-backend.node-only';

// End to end with the golden test's deterministic weights (depth 1-1-1-1): file → aligned crop →
// (x/255 − 0.5)/0.5 → IResNet → unit vector, checked against the same steps done by hand.
describe('arcFaceEmbedder (user weights, safetensors)', () => {
  let dir: string;
  let file: string;
  let embedder: DisposableEmbedder;
  let fileBytes: Uint8Array;
  // Generated once (17 M sines): the file and the by-hand network use the same tensors.
  const weights = goldenIResNetWeights([1, 1, 1, 1]);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'arcface-'));
    file = join(dir, 'tiny.safetensors');
    fileBytes = arraysToSafetensors(weights);
    await writeFile(file, fileBytes);
    embedder = await arcFaceEmbedder(file);
  });
  afterAll(async () => {
    embedder?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('names the architecture and embeds an aligned face as a unit 512-d vector', async () => {
    expect(embedder.name).toBe('ArcFace IResNet 1-1-1-1');
    expect(iresnetArchName([3, 13, 30, 3])).toBe('IResNet-100');
    const image = await readPngRgb((await listFsthFrames(FRAMES_DIR))[0]!.path);
    const got = await embedder.embed(image);
    expect(got).toHaveLength(512);

    const aligner = await createArcFaceAligner('by hand');
    const crop = await aligner.align(image);
    aligner.dispose();
    const net = await onWasmBackend(() => createIResNet(weights));
    const expected = await onWasmBackend(async () => {
      const x = tf.tensor4d(arcfaceNormalize(crop.data), [1, 112, 112, 3]);
      const y = net.forward(x);
      const data = await y.data();
      tf.dispose([x, y]);
      return data;
    });
    net.dispose();
    expect(Math.hypot(...Array.from(got))).toBeCloseTo(1, 5);
    expect(cosineSimilarity(got, expected)).toBeGreaterThan(1 - 1e-6);
  });

  it('rejects a file that is not an IResNet state dict, naming the problem', async () => {
    const bad = join(dir, 'bad.safetensors');
    await writeFile(
      bad,
      arraysToSafetensors(new Map([['conv.weight', { shape: [2], data: new Float32Array(2) }]])),
    );
    await expect(arcFaceEmbedder(bad)).rejects.toThrow(
      /bad\.safetensors: not an arcface_torch IResNet/,
    );
    await expect(arcFaceEmbedder(join(dir, 'missing.safetensors'))).rejects.toThrow(
      /cannot read .*missing\.safetensors/,
    );
  });

  it('names the file and the tensor when the container or a dtype is wrong', async () => {
    const cut = join(dir, 'cut.safetensors');
    await writeFile(cut, fileBytes.subarray(0, fileBytes.length - 10));
    await expect(arcFaceEmbedder(cut)).rejects.toThrow(
      /cut\.safetensors: not a valid safetensors file: tensor "[\w.]+" spans bytes/,
    );
    const { tensors } = decodeSafetensors(fileBytes, 'tiny');
    tensors.set('fc.bias', { ...tensors.get('fc.bias')!, dtype: 'I32' });
    const ints = join(dir, 'ints.safetensors');
    await writeFile(ints, encodeSafetensors(tensors, {}));
    await expect(arcFaceEmbedder(ints)).rejects.toThrow(
      /ints\.safetensors: tensor "fc\.bias" has dtype I32; expected F32, F16 or BF16/,
    );
  });
});
