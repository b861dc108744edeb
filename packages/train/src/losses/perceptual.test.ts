import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import type { FeatureNetwork } from '@th/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { perceptualLoss, VGG19_LAYER_WEIGHTS } from './perceptual';
import { VGG_FACE_PERCEPTUAL_LAYERS, vggFaceLosses } from './vgg-face';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

/** A transparent feature network: layer i is the image scaled by (i + 1), so L1s are closed-form. */
function scalingNetwork(layers: string[]): FeatureNetwork {
  return {
    name: 'scaling',
    isProxy: true,
    layers,
    extract: (x) => layers.map((_, i) => tf.mul(x, i + 1) as tf.Tensor4D),
  };
}

describe('perceptualLoss', () => {
  it('is Σ_i w_i · mean|φ_i(x̂) − φ_i(x)| with the VGG19 weights by default', () => {
    const net = scalingNetwork(['a', 'b', 'c', 'd', 'e']);
    const fake = tf.fill([2, 2, 2, 3], 0.5) as tf.Tensor4D;
    const real = tf.fill([2, 2, 2, 3], -0.25) as tf.Tensor4D;
    // mean|φ_i(x̂) − φ_i(x)| = (i + 1)·0.75
    const expected = VGG19_LAYER_WEIGHTS.reduce((s, w, i) => s + w * (i + 1) * 0.75, 0);
    expect(perceptualLoss(net, fake, real).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(perceptualLoss(net, fake, real, { c: 2 }).dataSync()[0]).toBeCloseTo(2 * 3 * 0.75, 5);
  });

  it('sees fake and real separately even with different per-example content', () => {
    const net = scalingNetwork(['only']);
    const fake = tf.tensor4d(
      [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      [2, 2, 2, 3],
    );
    const real = tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
    expect(perceptualLoss(net, fake, real, { only: 1 }).dataSync()[0]).toBeCloseTo(3 / 24, 6);
  });

  it('refuses unknown layers, missing defaults and mismatched batches', () => {
    const net = scalingNetwork(['a', 'b']);
    const x = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => perceptualLoss(net, x, x, { z: 1 })).toThrow(/has no layer "z" \(it has: a, b\)/);
    expect(() => perceptualLoss(net, x, x)).toThrow(/pass layerWeights explicitly/);
    expect(() => perceptualLoss(net, x, tf.zeros([2, 2, 2, 3]) as tf.Tensor4D, { a: 1 })).toThrow(
      /shapes differ/,
    );
  });
});

describe('vggFaceLosses', () => {
  it('gives the unweighted 5-layer perceptual sum and the fc8 L1 from one pass', () => {
    let passes = 0;
    const base = scalingNetwork([...VGG_FACE_PERCEPTUAL_LAYERS, 'fc8']);
    const net: FeatureNetwork = {
      ...base,
      extract: (x) => {
        passes++;
        return base.extract(x);
      },
    };
    const fake = tf.fill([1, 2, 2, 3], 1) as tf.Tensor4D;
    const real = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const { perceptual, identity } = vggFaceLosses(net, fake, real);
    expect(perceptual.dataSync()[0]).toBeCloseTo(1 + 2 + 3 + 4 + 5, 5);
    expect(identity.dataSync()[0]).toBeCloseTo(6, 5);
    expect(passes).toBe(1);
    expect(() => vggFaceLosses(scalingNetwork(['conv1_1']), fake, real)).toThrow(
      /has no layer "conv2_1"/,
    );
  });
});
