import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@th/backend';
import { describeBackends, tensorsLeakedPerRun } from '@th/backend/test';
import { describe, expect, it } from 'vitest';
import { numericDirectional, numericGradient, relativeError } from '../testing/finite-differences';
import { TOY_SHAPES, toTensors, toyDiscriminator, toyParams } from '../testing/toy-discriminator';
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

  /** Σ_n softplus(sign·D(x_n ⊕ l_n)) evaluated in tfjs for a JS-side image vector. */
  const summedLoss = (sign: number) => (x: Float64Array) =>
    tf.tidy(() => {
      const d = toyDiscriminator(toTensors(params));
      const input = tf.concat(
        [
          tf.tensor4d(Float32Array.from(x), IMAGE_SHAPE),
          tf.tensor4d(Float32Array.from(landmarkValues), IMAGE_SHAPE),
        ],
        3,
      );
      return tf.sum(tf.softplus(tf.mul(d(input), sign))).dataSync()[0]!;
    });

  for (const target of ['real', 'fake'] as const) {
    it(`${target === 'real' ? 'R1' : 'R2'} equals (γ/2)·mean_n ‖∇_x loss_n‖² with the gradient by finite differences over image channels only`, () => {
      const sign = target === 'real' ? -1 : 1;
      const g = numericGradient(summedLoss(sign), images, 1e-2);
      let sumSquares = 0;
      for (let i = 0; i < g.length; i++) sumSquares += g[i]! ** 2;
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

    it(`${target === 'real' ? 'R1' : 'R2'}'s gradient w.r.t. D's parameters (nested gradient) matches finite differences`, () => {
      const flat = Float64Array.from(params.flatMap((p) => [...p]));
      const unflatten = (v: Float64Array) => {
        let offset = 0;
        return TOY_SHAPES.map((s) => {
          const n = s.reduce((a, b) => a * b, 1);
          const t = tf.tensor(Float32Array.from(v.subarray(offset, offset + n)), s);
          offset += n;
          return t;
        });
      };
      const real = () => tf.tensor4d(Float32Array.from(images), IMAGE_SHAPE);
      const lmk = () => tf.tensor4d(Float32Array.from(landmarkValues), IMAGE_SHAPE);
      const penaltyOf = (ps: tf.Tensor[]) =>
        gradientPenalty(toyDiscriminator(ps), real(), lmk(), target, 10);
      const analytic = Float64Array.from(
        tf.tidy(() => {
          const grads = tf.grads((...ps: tf.Tensor[]) => penaltyOf(ps))(unflatten(flat));
          return tf.concat(grads.map((g) => tf.reshape(g, [-1]))).dataSync() as Float32Array;
        }),
      );
      const valueAt = (v: Float64Array) => tf.tidy(() => penaltyOf(unflatten(v)).dataSync()[0]!);
      const rng = createRng(target === 'real' ? 3 : 4);
      for (let trial = 0; trial < 2; trial++) {
        // Unit direction: the step h·d stays small for every parameter (truncation error O(h²)).
        const raw = rng.normalArray(flat.length);
        const norm = Math.hypot(...raw);
        const dir = Float64Array.from(raw, (v) => v / norm);
        const numeric = numericDirectional(valueAt, flat, dir, 1e-2);
        const projected = analytic.reduce((s, g, i) => s + g * dir[i]!, 0);
        expect(Math.abs(numeric)).toBeGreaterThan(1e-3);
        expect(relativeError(projected, numeric)).toBeLessThan(2e-3);
      }
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
