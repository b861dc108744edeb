import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminatorLogisticLoss } from './discriminator-logistic';
import { generatorAdversarialLoss } from './generator-adversarial';
import { l1Loss } from './l1';
import { latentL2Loss } from './latent-l2';
import { layoutCrossEntropyLoss } from './layout-cross-entropy';

const value = (t: tf.Tensor) => t.dataSync()[0]!;
const softplus = (x: number) => Math.log1p(Math.exp(x));

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

describe('adversarial losses', () => {
  it('generator: mean softplus(-D(x̂)) for logits [0, 2, -1]', () => {
    // softplus(0) = ln 2, softplus(-2) = ln(1 + e^-2), softplus(1) = ln(1 + e)
    const expected = (Math.LN2 + Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.E)) / 3;
    expect(value(generatorAdversarialLoss(tf.tensor2d([[0], [2], [-1]])))).toBeCloseTo(expected, 6);
  });

  it('discriminator: mean softplus(-D(x)) + softplus(D(x̂))', () => {
    const real = [1, -2];
    const fake = [0.5, 3];
    const expected = (softplus(-1) + softplus(0.5) + softplus(2) + softplus(3)) / 2;
    expect(
      value(discriminatorLogisticLoss(tf.tensor2d(real, [2, 1]), tf.tensor2d(fake, [2, 1]))),
    ).toBeCloseTo(expected, 5);
    // Large logits stay finite (softplus, not log(sigmoid)).
    expect(
      value(discriminatorLogisticLoss(tf.tensor2d([[100]]), tf.tensor2d([[-100]]))),
    ).toBeLessThan(1e-6);
    expect(() => discriminatorLogisticLoss(tf.zeros([2, 1]), tf.zeros([3, 1]))).toThrow(
      /shapes differ/,
    );
  });
});

describe('L1 and latent L2', () => {
  it('L1 = mean |x̂ − x|', () => {
    const a = tf.tensor4d([0.5, -1, 0.25, 1], [1, 2, 2, 1]);
    const b = tf.tensor4d([0, 1, 0.25, -0.5], [1, 2, 2, 1]);
    expect(value(l1Loss(a, b))).toBeCloseTo((0.5 + 2 + 0 + 1.5) / 4, 6);
    expect(() => l1Loss(a, tf.zeros([1, 2, 2, 3]))).toThrow(/shapes differ/);
  });

  it('latent L2 = mean z² over examples and dimensions', () => {
    expect(
      value(
        latentL2Loss(
          tf.tensor2d([
            [1, -2],
            [3, 0],
          ]),
        ),
      ),
    ).toBeCloseTo((1 + 4 + 9) / 4, 6);
    expect(() => latentL2Loss(tf.zeros([0, 4]))).toThrow(/empty latent/);
  });
});

describe('layout cross-entropy', () => {
  it('equals mean over pixels of logsumexp(logits) − logit[label] (float64 reference)', () => {
    const n = 2;
    const h = 2;
    const w = 3;
    const c = 19;
    const logits = Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 1.7) * 3);
    const labels = Array.from({ length: n * h * w }, (_, i) => (i * 7) % c);
    let sum = 0;
    for (let p = 0; p < n * h * w; p++) {
      const row = logits.slice(p * c, (p + 1) * c);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      sum += lse - row[labels[p]!]!;
    }
    const loss = layoutCrossEntropyLoss(
      tf.tensor4d(logits, [n, h, w, c]),
      tf.tensor3d(labels, [n, h, w], 'int32'),
    );
    expect(value(loss)).toBeCloseTo(sum / (n * h * w), 5);
  });

  it('is ln(C) for uniform logits; out-of-range labels make it NaN; bad shapes and dtypes throw', () => {
    const logits = tf.zeros([1, 2, 2, 19]) as tf.Tensor4D;
    expect(
      value(layoutCrossEntropyLoss(logits, tf.zeros([1, 2, 2], 'int32') as tf.Tensor3D)),
    ).toBeCloseTo(Math.log(19), 5);
    // One bad pixel among valid ones would otherwise just drop out of the mean.
    for (const bad of [19, -1])
      expect(
        value(layoutCrossEntropyLoss(logits, tf.tensor3d([0, 5, bad, 18], [1, 2, 2], 'int32'))),
      ).toBeNaN();
    expect(() => layoutCrossEntropyLoss(logits, tf.zeros([1, 2, 2]) as tf.Tensor3D)).toThrow(
      /must be int32/,
    );
    expect(() =>
      layoutCrossEntropyLoss(logits, tf.zeros([1, 2, 3], 'int32') as tf.Tensor3D),
    ).toThrow(/labels must be \[1,2,2\]/);
  });

  it('has gradient (softmax − one-hot) / pixels with respect to the logits', () => {
    const c = 19;
    const pixels = 4;
    const raw = Array.from({ length: pixels * c }, (_, i) => Math.cos(i * 0.9) * 2);
    const labels = [3, 0, 18, 7];
    const grad = tf
      .grad((x: tf.Tensor) =>
        layoutCrossEntropyLoss(x as tf.Tensor4D, tf.tensor3d(labels, [1, 2, 2], 'int32')),
      )(tf.tensor4d(raw, [1, 2, 2, c]))
      .dataSync();
    for (let p = 0; p < pixels; p++) {
      const row = raw.slice(p * c, (p + 1) * c);
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      for (let j = 0; j < c; j++) {
        const expected = (Math.exp(row[j]!) / z - (j === labels[p] ? 1 : 0)) / pixels;
        expect(grad[p * c + j]!).toBeCloseTo(expected, 6);
      }
    }
  });
});
