import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import {
  VGG_FACE_CONVS,
  type VggFaceNetwork,
  type VggWeights,
  vggFaceDenseLayers,
  vggFaceFromWeights,
} from '@th/features';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity, idSim } from '../id-sim';
import type { HwcImage } from '../image';
import {
  VGG_FACE_FC8_NAME,
  type VggFaceEmbedder,
  vggFaceEmbedder,
  vggFaceEmbedderFromNetwork,
} from './vgg-face-embedder.node-only';

// Real VGG-Face weights are user-supplied (none exist offline): a seeded He-initialised VGG-Face at
// input 32 (fc6 512x4096) stands in; the embedder's own logic is what is under test.
function seededWeights(): VggWeights {
  const weights: VggWeights = new Map();
  [...VGG_FACE_CONVS, ...vggFaceDenseLayers(32)].forEach(([name, cin, cout], seed) => {
    const conv = !name.startsWith('fc');
    const fanIn = conv ? 9 * cin : cin;
    const shape = conv ? [3, 3, cin, cout] : [cin, cout];
    weights.set(`${name}/kernel`, tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed));
    weights.set(`${name}/bias`, tf.zeros([cout]));
  });
  return weights;
}

/** A deterministic colour pattern, uint8 HWC. */
function pattern(size: number, channels: number, phase: number): HwcImage {
  const data = new Uint8Array(size * size * channels);
  for (let i = 0; i < data.length; i++)
    data[i] = Math.round(127.5 + 127 * Math.sin(0.37 * i + phase));
  return { data, height: size, width: size, channels };
}

describe('vggFaceEmbedder ("VGG-Face fc8")', () => {
  let net: VggFaceNetwork;
  let embedder: VggFaceEmbedder;
  beforeAll(async () => {
    await init({ backend: 'wasm' });
    net = vggFaceFromWeights(seededWeights(), { inputSize: 32 });
    embedder = vggFaceEmbedderFromNetwork(net);
  }, 60_000);
  afterAll(() => embedder?.dispose());

  it('returns the 2622 fc8 logits of the image scaled to [-1,1]', async () => {
    const image = pattern(32, 3, 0);
    const embedding = await embedder.embed(image);
    expect(embedder.name).toBe(VGG_FACE_FC8_NAME);
    expect(embedding).toHaveLength(2622);
    // Independent path: the same pixels as a tensor, x/127.5 − 1, straight into the network.
    const x = tf.tensor4d(
      Float32Array.from(image.data, (v) => v / 127.5 - 1),
      [1, 32, 32, 3],
    );
    const expected = net.logits(x).dataSync();
    let maxDiff = 0;
    for (let i = 0; i < 2622; i++)
      maxDiff = Math.max(maxDiff, Math.abs(embedding[i]! - expected[i]!));
    expect(maxDiff).toBe(0);
    tf.dispose(x);
  });

  it('resizes other sizes to the network input and accepts gray and RGBA images', async () => {
    const flat = (size: number, channels: number, value: number): HwcImage => ({
      data: new Uint8Array(size * size * channels).fill(value),
      height: size,
      width: size,
      channels,
    });
    // Resizing a uniform image leaves it uniform, so 48x48 and 32x32 must embed identically.
    const a = await embedder.embed(flat(32, 3, 90));
    const b = await embedder.embed(flat(48, 3, 90));
    expect(cosineSimilarity(a, b)).toBeCloseTo(1, 6);
    // Gray replicates to RGB; RGBA drops alpha.
    const gray = await embedder.embed(flat(32, 1, 90));
    const rgba = await embedder.embed({
      ...flat(32, 4, 90),
      data: new Uint8Array(32 * 32 * 4).fill(90),
    });
    expect(cosineSimilarity(a, gray)).toBeCloseTo(1, 6);
    expect(cosineSimilarity(a, rgba)).toBeCloseTo(1, 6);
    await expect(embedder.embed(flat(32, 2, 90))).rejects.toThrow(/1, 3 or 4 channels, got 2/);
    await expect(
      embedder.embed({ data: new Uint8Array(5), height: 2, width: 2, channels: 3 }),
    ).rejects.toThrow(/VGG-Face fc8: data has 5 values but 2x2x3 needs 12/);
  });

  it('gives ID-SIM 1 for identical pairs, less for different images, and labels it', async () => {
    const same = await idSim(embedder, [pattern(32, 3, 0)], [pattern(32, 3, 0)]);
    expect(same.label).toBe('ID-SIM (VGG-Face fc8)');
    expect(same.mean).toBeCloseTo(1, 6);
    const other = await idSim(embedder, [pattern(32, 3, 0)], [pattern(32, 3, 2)]);
    expect(other.mean).toBeLessThan(0.999);
  });

  it('names the conversion script when the weights file is missing', async () => {
    await expect(vggFaceEmbedder('/nonexistent/vgg-face.safetensors')).rejects.toThrow(
      /VGG-Face weights not available.*convert-vggface-h5\.py/,
    );
  });
});
