import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { caffePreprocess, VGGFACE_V1_BGR_MEAN } from './caffe-preprocess';
import { loadVgg19 } from './load-vgg19';
import { randomFeatureNetwork } from './random-feature-network';
import { readSafetensors } from './safetensors-reader';
import { safetensorsBytes } from './safetensors-test-bytes';
import {
  VGG19_CONVS,
  VGG19_LOSS_LAYERS,
  type Vgg19Weights,
  vgg19FromWeights,
  vgg19ParameterCount,
} from './vgg19';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

describe('caffePreprocess', () => {
  it('maps [-1,1] RGB to 0..255 BGR minus the ImageNet mean', () => {
    // RGB (-1, 0, 1) -> (0, 127.5, 255) -> BGR (255, 127.5, 0) - (103.939, 116.779, 123.68)
    const out = caffePreprocess(tf.tensor4d([-1, 0, 1], [1, 1, 1, 3])).dataSync();
    expect(out[0]).toBeCloseTo(255 - 103.939, 3);
    expect(out[1]).toBeCloseTo(127.5 - 116.779, 3);
    expect(out[2]).toBeCloseTo(0 - 123.68, 3);
    // keras_vggface version-1 means (BGR): 93.5940, 104.7624, 129.1863.
    const face = caffePreprocess(tf.tensor4d([-1, 0, 1], [1, 1, 1, 3]), VGGFACE_V1_BGR_MEAN);
    expect([...face.dataSync()].map((v) => Number(v.toFixed(3)))).toEqual([
      161.406, 22.738, -129.186,
    ]);
    expect(() => caffePreprocess(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D)).toThrow(
      /expected RGB images/,
    );
  });
});

describe('VGG19 definition', () => {
  it('has 12,944,960 parameters up to block5_conv1 and the Keras feature shapes (random weights)', () => {
    expect(vgg19ParameterCount()).toBe(12_944_960);
    const weights: Vgg19Weights = new Map();
    for (const [name, cin, cout] of VGG19_CONVS) {
      // Pseudo-random weights from a fast closed form (JS normal sampling of 13 M values is slow).
      const n = 9 * cin * cout;
      const pattern = tf.tidy(() =>
        tf.mul(tf.sin(tf.mul(tf.range(0, n), 12.9898)), Math.sqrt(6 / (9 * cin))),
      );
      weights.set(`${name}/kernel`, tf.reshape(pattern, [3, 3, cin, cout]));
      pattern.dispose();
      weights.set(`${name}/bias`, tf.zeros([cout]));
    }
    const net = vgg19FromWeights(weights);
    expect(net.isProxy).toBe(false);
    expect(net.layers).toEqual([...VGG19_LOSS_LAYERS]);
    const before = tf.memory().numTensors;
    const features = net.extract(tf.zeros([1, 16, 16, 3]) as tf.Tensor4D);
    expect(features.map((f) => f.shape)).toEqual([
      [1, 16, 16, 64],
      [1, 8, 8, 128],
      [1, 4, 4, 256],
      [1, 2, 2, 512],
      [1, 1, 1, 512],
    ]);
    // Post-ReLU: no negative activations.
    expect(tf.tidy(() => tf.min(features[4]!).dataSync()[0])).toBeGreaterThanOrEqual(0);
    tf.dispose(features);
    expect(tf.memory().numTensors).toBe(before + 1); // only the input zeros remain
    net.dispose();
  });

  it('names the missing or misshapen tensor', () => {
    const weights: Vgg19Weights = new Map([['block1_conv1/kernel', tf.zeros([3, 3, 3, 64])]]);
    expect(() => vgg19FromWeights(weights, 'w.safetensors')).toThrow(
      /w.safetensors: missing tensor "block1_conv1\/bias"/,
    );
    weights.set('block1_conv1/kernel', tf.zeros([3, 3, 3, 32]));
    expect(() => vgg19FromWeights(weights)).toThrow(
      /"block1_conv1\/kernel" has shape \[3,3,3,32\], expected \[3,3,3,64\]/,
    );
  });

  it('loadVgg19 explains how to convert the Keras h5 when the file is absent', async () => {
    await expect(loadVgg19('/nonexistent/vgg19.safetensors')).rejects.toThrow(
      /VGG19 weights not available.*no such file.*convert_vgg19_h5\.py/,
    );
  });

  it('loadVgg19 reads a safetensors file and validates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'th-train-'));
    const path = join(dir, 'partial.safetensors');
    const kernel = new Float32Array(3 * 3 * 3 * 64).fill(0.5);
    writeFileSync(
      path,
      safetensorsBytes([
        {
          name: 'block1_conv1/kernel',
          dtype: 'F32',
          shape: [3, 3, 3, 64],
          bytes: new Uint8Array(kernel.buffer),
        },
      ]),
    );
    await expect(loadVgg19(path)).rejects.toThrow(
      /partial.safetensors: missing tensor "block1_conv1\/bias"/,
    );
  });
});

describe('readSafetensors', () => {
  it('decodes F32 and F16 tensors and refuses truncated data and other dtypes', () => {
    const f32 = new Float32Array([1.5, -2, 3.25]);
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x3555]); // 1, -2, 0.333251953125
    const bytes = safetensorsBytes([
      { name: 'a', dtype: 'F32', shape: [3], bytes: new Uint8Array(f32.buffer) },
      { name: 'b', dtype: 'F16', shape: [1, 3], bytes: new Uint8Array(f16.buffer) },
    ]);
    const tensors = readSafetensors(bytes, 'x');
    expect([...tensors.get('a')!.dataSync()]).toEqual([1.5, -2, 3.25]);
    expect(tensors.get('b')!.shape).toEqual([1, 3]);
    expect([...tensors.get('b')!.dataSync()]).toEqual([1, -2, 0.333251953125]);
    expect(() => readSafetensors(bytes.subarray(0, bytes.length - 2), 'cut')).toThrow(
      /cut: not a valid safetensors file: tensor "b"/,
    );
    const ints = safetensorsBytes([
      { name: 'i', dtype: 'I32', shape: [1], bytes: new Uint8Array(4) },
    ]);
    expect(() => readSafetensors(ints, 'ints')).toThrow(/only F32, F16 and BF16/);
  });
});

describe('randomFeatureNetwork (proxy)', () => {
  it('is named a proxy, logs once, is deterministic per seed and gives a pyramid', () => {
    const lines: string[] = [];
    const net = randomFeatureNetwork(5, { log: (l) => lines.push(l) });
    expect(net.isProxy).toBe(true);
    expect(net.name).toMatch(/proxy/);
    const x = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const a = net.extract(x);
    net.extract(x);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PROXY perceptual features/);
    expect(a.map((f) => f.shape)).toEqual([
      [1, 16, 16, 16],
      [1, 8, 8, 32],
      [1, 4, 4, 64],
      [1, 2, 2, 64],
      [1, 1, 1, 64],
    ]);
    const b = randomFeatureNetwork(5, { log: () => {} }).extract(x);
    const c = randomFeatureNetwork(6, { log: () => {} }).extract(x);
    expect(tf.max(tf.abs(tf.sub(a[2]!, b[2]!))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(a[2]!, c[2]!))).dataSync()[0]).toBeGreaterThan(1e-3);
    expect(() => randomFeatureNetwork(1, { layers: [] })).toThrow(/at least one layer/);
  });
});
