import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from '../testing/describe-backends';
import { checkGradient } from '../testing/gradient-check';
import { createRng } from '../util/rng';
import { normal } from './probe';
import { r1Penalty, type ToyDParams, toyD, toyDParams, toyG } from './toy-gan';

const asParams = (ts: tf.Tensor[]): ToyDParams => {
  const [w1, b1, w2, w3] = ts as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor2D];
  return { w1, b1, w2, w3 };
};

describeBackends('R1 penalty of a toy discriminator', () => {
  it("d R1 / d D's parameters matches finite differences to 1e-3", async () => {
    const rng = createRng(7);
    const p = toyDParams(rng);
    const real = normal(rng, [2, 6, 6, 2]) as tf.Tensor4D;
    const params = [p.w1, p.b1, p.w2, p.w3];
    // R1 contains leakyRelu' (a step function of the parameters), so R1 itself jumps wherever a
    // pre-activation crosses 0; a small step keeps the stencil off those jumps (3e-2 measured
    // 7e-2 error from one crossing, 3e-3 gives 4e-6; 1e-3 and 3e-4 get noisier, 4e-5 and 1.4e-4).
    const check = await checkGradient((...ts) => r1Penalty(asParams(ts), real), params, {
      directions: 4,
      step: 3e-3,
    });
    console.log(
      `R1 toy D: analytic ${check.analytic.join(', ')}; numeric ${check.numeric.join(', ')}; rel. error ${check.relError}`,
    );
    expect(check.relError).toBeLessThan(1e-3);
    // The check is not vacuous: the penalty and its parameter gradient are far from zero.
    expect(Math.min(...check.analytic.map(Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([...params, real]);
  });

  it('a toy GAN step with R1 leaves tf.memory().numTensors unchanged over 100 steps', async () => {
    const rng = createRng(11);
    const init = toyDParams(rng);
    const dVars = [init.w1, init.b1, init.w2, init.w3].map((t) => tf.variable(t));
    const gVar = tf.variable(normal(rng, [4, 72], 0.3));
    tf.dispose([init.w1, init.b1, init.w2, init.w3]);
    const d = asParams(dVars);
    const real = normal(rng, [2, 6, 6, 2]) as tf.Tensor4D;
    const z = normal(rng, [2, 4]) as tf.Tensor2D;
    const optimizer = tf.train.sgd(1e-3);
    const step = () => {
      optimizer.minimize(
        () => {
          const fake = toyG(gVar as tf.Tensor2D, z);
          const realLoss = tf.sum(tf.softplus(tf.neg(toyD(d, real))));
          const fakeLoss = tf.sum(tf.softplus(toyD(d, fake)));
          return tf.add(tf.add(realLoss, fakeLoss), tf.mul(r1Penalty(d, real), 5)) as tf.Scalar;
        },
        false,
        dVars,
      );
      optimizer.minimize(
        () => tf.sum(tf.softplus(tf.neg(toyD(d, toyG(gVar as tf.Tensor2D, z))))) as tf.Scalar,
        false,
        [gVar],
      );
    };
    step(); // warm-up: first-call caches
    const initial = Array.from(await (dVars[0] as tf.Variable).data());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    // Training moved the parameters (the steps really ran), and nothing became NaN.
    const values = Array.from(await (dVars[0] as tf.Variable).data());
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((v, i) => Math.abs(v - (initial[i] as number)) > 1e-5)).toBe(true);
    optimizer.dispose();
    tf.dispose([...dVars, gVar, real, z]);
  });
});
