import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { encodeSafetensors } from '@th/backend';
import { describeBackends } from '@th/backend/test';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HwcImage } from '../image';
import { FRAMES_DIR, readRgbPng } from '../testing/read-png';
import { createFidInception, type FidInceptionNetwork, fidInputPixels } from './fid-inception';
import { inceptionPool3 } from './inception-v3';
import {
  disposeInceptionWeights,
  INCEPTION_TENSORS,
  type InceptionWeights,
  prepareInceptionWeights,
} from './inception-weights';
import { loadFidInception } from './load-fid-inception.node-only';
import { deterministicArrays, relDiff } from './testing-weights';

interface Pool3Summary {
  length: number;
  first64: number[];
  sum: number;
  sumSquares: number;
  cosineWeighted: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../__fixtures__/golden-fid-inception.json', import.meta.url), 'utf8'),
) as {
  frames: Record<string, string>;
  small: { frame: string; rows: [number, number]; cols: [number, number]; pool3: Pool3Summary };
  full: { frame: string; pool3: Pool3Summary }[];
};
const frame = (key: string) => readRgbPng(join(FRAMES_DIR, 'test', golden.frames[key]!));
const arrays = deterministicArrays(INCEPTION_TENSORS);

/** Checks pool_3 features against the NumPy summary: 64 values and three checksums, 1e-4 relative. */
function expectPool3(v: ArrayLike<number>, want: Pool3Summary): void {
  expect(v.length).toBe(want.length);
  let sum = 0;
  let sumSquares = 0;
  let cosineWeighted = 0;
  for (let i = 0; i < v.length; i++) {
    sum += v[i]!;
    sumSquares += v[i]! * v[i]!;
    cosineWeighted += v[i]! * Math.cos(0.37 * i);
  }
  const scale = Math.sqrt(want.sumSquares / want.length);
  want.first64.forEach((w, i) => {
    expect(Math.abs(v[i]! - w)).toBeLessThan(1e-4 * Math.max(Math.abs(w), scale));
  });
  expect(relDiff(sum, want.sum)).toBeLessThan(1e-4);
  expect(relDiff(sumSquares, want.sumSquares)).toBeLessThan(1e-4);
  expect(Math.abs(cosineWeighted - want.cosineWeighted)).toBeLessThan(
    1e-4 * Math.sqrt(want.sumSquares * v.length),
  );
}

describeBackends('FID Inception-v3 forward on deterministic weights', () => {
  let weights: InceptionWeights;
  beforeAll(() => {
    weights = prepareInceptionWeights(arrays, 'deterministic');
  });
  afterAll(() => disposeInceptionWeights(weights));

  it('107 x 107 input (every block, odd borders) matches NumPy', async () => {
    const f = frame(golden.small.frame);
    const [r0, r1] = golden.small.rows;
    const [c0, c1] = golden.small.cols;
    const x = tf.tidy(() => {
      const image = tf.tensor3d(f.data, [224, 224, 3], 'float32');
      const crop = tf.slice(image, [r0, c0, 0], [r1 - r0, c1 - c0, 3]);
      return tf.expandDims(tf.sub(tf.div(crop, 127.5), 1), 0);
    }) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const pooled = inceptionPool3(x, weights);
    expect(pooled.shape).toEqual([1, 2048]);
    expectPool3(await pooled.data(), golden.small.pool3);
    pooled.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describeBackends('FID Inception-v3 end to end (Pillow bicubic 224 → 299, [−1, 1], pool_3)', () => {
  let network: FidInceptionNetwork;
  beforeAll(() => {
    network = createFidInception(arrays, 'deterministic');
  });
  afterAll(() => network.dispose());

  it('a batch of two real frames matches NumPy', async () => {
    const images = golden.full.map((g) => frame(g.frame));
    const features = await network.featuresBatch(images);
    features.forEach((v, i) => {
      expectPool3(v, golden.full[i]!.pool3);
    });
    expect(network.inputSize).toBe(299);
    expect(network.metric).toBe('fid');
  });

  it('fidInputPixels maps 0..255 to [−1, 1] and refuses non-RGB', () => {
    const img: HwcImage = {
      data: new Uint8Array(299 * 299 * 3).fill(255),
      height: 299,
      width: 299,
      channels: 3,
    };
    const px = fidInputPixels(img);
    expect(px[0]).toBe(1);
    expect(fidInputPixels({ ...img, data: new Uint8Array(299 * 299 * 3) })[5]).toBe(-1);
    expect(() =>
      fidInputPixels({ data: new Uint8Array(4), height: 2, width: 2, channels: 1 }),
    ).toThrow(/needs 3 channels, got 1/);
  });

  it('loadFidInception names the file and the tensor that is missing or misshapen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fid-'));
    await expect(loadFidInception(join(dir, 'none.safetensors'))).rejects.toThrow(
      /none\.safetensors: cannot read the FID weights file \(ENOENT\).*convert-fid-inception\.py/,
    );
    const file = join(dir, 'partial.safetensors');
    const stem = new Float32Array(32 * 3 * 3 * 3);
    writeFileSync(
      file,
      encodeSafetensors(
        new Map([
          [
            'Conv2d_1a_3x3.conv.weight',
            { dtype: 'F32', shape: [32, 3, 3, 3], bytes: new Uint8Array(stem.buffer) },
          ],
          ['fc.bias', { dtype: 'F32', shape: [1], bytes: new Uint8Array(4) }],
        ]),
        {},
      ),
    );
    await expect(loadFidInception(file)).rejects.toThrow(
      /partial\.safetensors: 469 of the 470 tensors FID needs are missing: "Conv2d_1a_3x3\.bn\.weight" \[32\]/,
    );
    const misshapen = new Map(arrays);
    misshapen.set('Mixed_7c.branch_pool.bn.running_var', {
      shape: [191],
      data: new Float32Array(191),
    });
    expect(() => prepareInceptionWeights(misshapen, 'm.safetensors')).toThrow(
      /m\.safetensors: tensor "Mixed_7c\.branch_pool\.bn\.running_var" has shape \[191\], FID expects \[192\]/,
    );
  });
}, ['wasm']);
