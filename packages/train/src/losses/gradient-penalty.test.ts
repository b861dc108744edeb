import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@th/backend';
import {
  checkGradient,
  describeBackends,
  numericGradient,
  relativeError,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { describe, expect, it } from 'vitest';
import { toTensors, toyDiscriminator, toyParams } from '../testing/toy-discriminator';
import { gradientPenalty, lazyPenaltyWeight, r1Penalty, r2Penalty } from './gradient-penalty';

const N = 2;
const IMAGE_SHAPE: [number, number, number, number] = [N, 4, 4, 3];

function randomImages(seed: number): Float64Array {
  return Float64Array.from(createRng(seed).normalArray(N * 4 * 4 * 3, 0.8));
}

describeBackends('LSR gradient penalties R1/R2 (toy conditional D)', () => {
  const params = toyParams(7);
  const images = randomImages(11);
  const landmarkValues = randomImages(12);

  /** Σ_n softplus(sign·D(x_n ⊕ l_n)) as a function of the images x. */
  const summedLoss = (sign: number) => (x: tf.Tensor) => {
    const d = toyDiscriminator(toTensors(params));
    const input = tf.concat([x, tf.tensor4d(Float32Array.from(landmarkValues), IMAGE_SHAPE)], 3);
    return tf.sum(tf.softplus(tf.mul(d(input as tf.Tensor4D), sign))) as tf.Scalar;
  };

  for (const target of ['real', 'fake'] as const) {
    it(`${target === 'real' ? 'R1' : 'R2'} equals (γ/2)·mean_n ‖∇_x loss_n‖² with the gradient by finite differences over image channels only`, async () => {
      const sign = target === 'real' ? -1 : 1;
      const x = tf.tensor4d(Float32Array.from(images), IMAGE_SHAPE);
      const [g] = await numericGradient(summedLoss(sign), [x], { step: 1e-2 });
      x.dispose();
      let sumSquares = 0;
      for (const v of g!) sumSquares += v ** 2;
      const expected = (10 / 2) * (sumSquares / N);
      const actual = tf.tidy(() => {
        const d = toyDiscriminator(toTensors(params));
        const fn = target === 'real' ? r1Penalty : r2Penalty;
        return fn(
          d,
          tf.tensor4d(Float32Array.from(images), IMAGE_SHAPE),
          tf.tensor4d(Float32Array.from(landmarkValues), IMAGE_SHAPE),
        ).dataSync()[0]!;
      });
      expect(expected).toBeGreaterThan(1e-3); // the check is not vacuous
      expect(relativeError(actual, expected)).toBeLessThan(5e-4);
    });

    it(`${target === 'real' ? 'R1' : 'R2'}'s gradient w.r.t. D's parameters (nested gradient) matches finite differences`, async () => {
      const real = () => tf.tensor4d(Float32Array.from(images), IMAGE_SHAPE);
      const lmk = () => tf.tensor4d(Float32Array.from(landmarkValues), IMAGE_SHAPE);
      const penaltyOf = (...ps: tf.Tensor[]) =>
        gradientPenalty(toyDiscriminator(ps), real(), lmk(), target, 10);
      const ps = toTensors(params);
      const check = await checkGradient(penaltyOf, ps, {
        directions: 2,
        seed: target === 'real' ? 3 : 4,
        tolerance: 2e-3,
      });
      expect(Math.min(...check.analytic.map(Math.abs))).toBeGreaterThan(1e-3); // not vacuous
      tf.dispose(ps);
    });
  }

  it('R1 scales linearly with gamma, is zero for gamma 0, and leaks no tensors', async () => {
    const d = toyDiscriminator(toTensors(params));
    const real = tf.tensor4d(Float32Array.from(images), IMAGE_SHAPE);
    const lmk = tf.tensor4d(Float32Array.from(landmarkValues), IMAGE_SHAPE);
    const at10 = r1Penalty(d, real, lmk, 10).dataSync()[0]!;
    const at4 = r1Penalty(d, real, lmk, 4).dataSync()[0]!;
    expect(at4 / at10).toBeCloseTo(0.4, 5);
    expect(r1Penalty(d, real, lmk, 0).dataSync()[0]).toBe(0);
    expect(await tensorsLeakedPerRun(() => r1Penalty(d, real, lmk).dispose())).toBe(0);
  });

  it('rejects a bad target, a negative gamma and mismatched landmarks', () => {
    const d = toyDiscriminator(toTensors(params));
    const real = tf.zeros(IMAGE_SHAPE) as tf.Tensor4D;
    expect(() => gradientPenalty(d, real, real, 'both' as 'real')).toThrow(
      /target must be 'real' or 'fake'/,
    );
    expect(() => r1Penalty(d, real, real, -1)).toThrow(/gamma must be >= 0/);
    expect(() => r1Penalty(d, real, tf.zeros([N, 2, 2, 3]) as tf.Tensor4D)).toThrow(
      /must agree in N, H, W/,
    );
  });
});

describe('lazyPenaltyWeight (lazy R1, StyleGAN2)', () => {
  it('returns the interval on multiples of it and 0 otherwise', () => {
    expect([0, 1, 15, 16, 17, 32].map((s) => lazyPenaltyWeight(s, 16))).toEqual([
      16, 0, 0, 16, 0, 16,
    ]);
    expect([0, 1, 2].map((s) => lazyPenaltyWeight(s, 1))).toEqual([1, 1, 1]);
    expect(() => lazyPenaltyWeight(3, 0)).toThrow(/interval must be an integer >= 1/);
    expect(() => lazyPenaltyWeight(-1, 4)).toThrow(/step must be an integer >= 0/);
  });
});
