import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { randomFeatureNetwork } from '@th/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { toTensors, toyDiscriminator, toyParams } from '../testing/toy-discriminator';
import type { Discriminator } from './adversarial';
import { defaultLossConfig, lossConfig } from './loss-config';
import { stage1Loss, stage2DiscriminatorLoss, stage2GeneratorLoss } from './stage-losses';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

const num = (t: tf.Tensor | undefined) => t!.dataSync()[0]!;
const quiet = { log: () => {} };

describe('loss config', () => {
  it('has the default weights of docs/design.md#losses and validates overrides', () => {
    const c = defaultLossConfig();
    expect(c.stage1).toEqual({
      layoutCrossEntropy: 10,
      auxVgg19: 0.01,
      auxL1: 0,
      layoutLatentL2: 1,
    });
    expect(c.stage2).toEqual({
      adversarial: 1,
      l1: 1,
      vgg19: 0.1,
      vggFacePerLayer: 0.002,
      identity: 1,
      styleLatentL2: 1,
      layoutLatentL2: 1,
      r1Gamma: 10,
      r2Gamma: 10,
      penaltyInterval: 1,
    });
    expect(c.vgg19LayerWeights).toEqual([1 / 32, 1 / 16, 1 / 8, 1 / 4, 1]);
    expect(lossConfig({ stage2: { identity: 20 } }).stage2.identity).toBe(20);
    expect(() => lossConfig({ stage2: { l1: -1 } })).toThrow(
      /stage2.l1 must be a finite number >= 0/,
    );
    expect(() => lossConfig({ stage2: { penaltyInterval: 1.5 } })).toThrow(
      /penaltyInterval must be an integer/,
    );
  });
});

describe('stage totals are the configured weighted sums of their terms', () => {
  let d: Discriminator;
  let real: tf.Tensor4D;
  let fake: tf.Tensor4D;
  let landmarks: tf.Tensor4D;
  let zs: tf.Tensor2D;
  let zl: tf.Tensor2D;
  beforeAll(() => {
    d = toyDiscriminator(toTensors(toyParams(3)));
    real = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    fake = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    landmarks = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    zs = tf.tensor2d([
      [1, 2],
      [0, -1],
    ]);
    zl = tf.tensor2d([
      [0.5, 0.5],
      [1, 1],
    ]);
  });

  it('stage 2 generator', () => {
    const vgg19 = randomFeatureNetwork(1, { layers: ['a', 'b', 'c'], ...quiet });
    const vggFace = randomFeatureNetwork(2, {
      layers: ['conv1_1', 'conv2_1', 'conv3_1', 'conv4_1', 'conv5_1', 'fc8'],
      channels: [4, 4, 4, 4, 4, 4],
      ...quiet,
    });
    const config = lossConfig({ vgg19LayerWeights: [0.5, 0.25, 1] });
    const { total, terms } = stage2GeneratorLoss(
      {
        fake,
        real,
        landmarks,
        discriminator: d,
        styleLatent: zs,
        layoutLatent: zl,
        vgg19,
        vggFace,
      },
      config,
    );
    expect(Object.keys(terms).sort()).toEqual([
      'adversarial',
      'identity',
      'l1',
      'layoutLatentL2',
      'styleLatentL2',
      'vgg19',
      'vggFace',
    ]);
    expect(num(terms.styleLatentL2)).toBeCloseTo(6 / 4, 6);
    expect(num(terms.layoutLatentL2)).toBeCloseTo(2.5 / 4, 6);
    const w = config.stage2;
    const expected =
      num(terms.adversarial) +
      num(terms.l1) +
      0.1 * num(terms.vgg19) +
      0.002 * num(terms.vggFace) +
      num(terms.identity) +
      num(terms.styleLatentL2) +
      num(terms.layoutLatentL2);
    expect(w.vggFacePerLayer).toBe(0.002);
    expect(num(total)).toBeCloseTo(expected, 5);
    expect(() =>
      stage2GeneratorLoss(
        { fake, real, landmarks, discriminator: d, styleLatent: zs, layoutLatent: zl },
        config,
      ),
    ).toThrow(/stage2.vgg19 > 0 needs a feature network/);
  });

  it('stage 2 discriminator with R1/R2, and lazy skipping', () => {
    const config = defaultLossConfig();
    const { total, terms } = stage2DiscriminatorLoss(
      { real, fake, landmarks, discriminator: d },
      config,
    );
    expect(num(total)).toBeCloseTo(num(terms.logistic) + num(terms.r1) + num(terms.r2), 5);
    const lazy = lossConfig({ stage2: { penaltyInterval: 4 } });
    const on = stage2DiscriminatorLoss({ real, fake, landmarks, discriminator: d, step: 8 }, lazy);
    expect(num(on.total)).toBeCloseTo(num(terms.logistic) + 4 * (num(terms.r1) + num(terms.r2)), 4);
    const off = stage2DiscriminatorLoss({ real, fake, landmarks, discriminator: d, step: 9 }, lazy);
    expect(Object.keys(off.terms)).toEqual(['logistic']);
    expect(num(off.total)).toBeCloseTo(num(terms.logistic), 6);
  });

  it('stage 1, including the tf.keep pattern for logging inside tf.variableGrads', () => {
    const logits = tf.variable(tf.randomNormal([1, 4, 4, 19], 0, 1, 'float32', 5));
    const labels = tf.tensor3d(
      Array.from({ length: 16 }, (_, i) => i % 19),
      [1, 4, 4],
      'int32',
    );
    const vgg19 = randomFeatureNetwork(4, quiet);
    const auxRgb = tf.randomUniform([1, 4, 4, 3], -1, 1, 'float32', 6) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    let kept: Record<string, tf.Scalar> = {};
    const { value, grads } = tf.variableGrads(() => {
      const r = stage1Loss(
        {
          layoutLogits: logits as tf.Tensor4D,
          labels,
          auxRgb,
          real: tf.slice(real, [0, 0, 0, 0], [1, 4, 4, 3]),
          layoutLatent: zl,
          vgg19,
        },
        defaultLossConfig(),
      );
      kept = Object.fromEntries(Object.entries(r.terms).map(([k, t]) => [k, tf.keep(t)]));
      return r.total;
    }, [logits]);
    expect(Object.keys(kept).sort()).toEqual(['auxVgg19', 'layoutCrossEntropy', 'layoutLatentL2']);
    expect(num(value)).toBeCloseTo(
      10 * num(kept.layoutCrossEntropy) + 0.01 * num(kept.auxVgg19) + num(kept.layoutLatentL2),
      5,
    );
    // d CE / d logits = (softmax − onehot) / pixels: rows sum to zero.
    const rowSums = tf.sum(grads[logits.name]!, -1);
    expect(tf.tidy(() => tf.max(tf.abs(rowSums)).dataSync()[0])).toBeLessThan(1e-6);
    tf.dispose([value, rowSums, ...Object.values(grads), ...Object.values(kept)]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
