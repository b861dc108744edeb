import * as tf from '@tensorflow/tfjs-core';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  NETWORK_STEP,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { EqConv2d } from '../layers/eq-conv2d';
import { EqDense } from '../layers/eq-dense';
import { LeakyReLU } from '../layers/resampling';
import { Module } from '../module/module';
import { ResBlockDown } from './res-block-down';

/**
 * A miniature of LSR's D (docs/design.md#discriminator): from_rgb 1x1 -> LReLU ->
 * ResBlockDown(m=1/sqrt2) x2 -> LReLU -> dense logit.
 */
class ToyDiscriminator extends Module {
  readonly fromRgb = this.child(
    'fromRgb',
    new EqConv2d({ inChannels: 2, outChannels: 3, kernelSize: 1 }),
  );
  readonly down1 = this.child(
    'down1',
    new ResBlockDown({ inChannels: 3, outChannels: 4, outputScale: Math.SQRT1_2 }),
  );
  readonly down2 = this.child(
    'down2',
    new ResBlockDown({ inChannels: 4, outChannels: 4, outputScale: Math.SQRT1_2 }),
  );
  readonly logit = this.child('logit', new EqDense({ inFeatures: 4 * 2 * 2, outFeatures: 1 }));
  private readonly act = new LeakyReLU(0.2);

  forward(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.down2.forward(this.down1.forward(this.act.forward(this.fromRgb.forward(x))));
      return this.logit.forward(tf.reshape(this.act.forward(h), [x.shape[0], -1]) as tf.Tensor2D);
    });
  }
}

describeBackends('toy discriminator built from the R1-safe blocks', () => {
  it('R1 penalty gradient w.r.t. weights and input matches finite differences', async () => {
    const d = new ToyDiscriminator().initialize(3);
    const x = randomVariable([2, 7, 7, 2]); // odd size: SAME blur geometry 7 -> 4 -> 2
    const s = checkScalars((t) => tf.softplus(d.forward(t as tf.Tensor4D)), x);
    const vars = [x, ...d.trainableVariables()];
    await checkGradient(s.first, [], { variables: vars, step: NETWORK_STEP, tolerance: 5e-3 });
    // R1 contains leakyRelu' (a step function), so it JUMPS where a unit crosses 0. Measured on
    // cpu: step 1e-3 -> 0.94 (2 of 3 directions straddle a jump in all 4 draws), 3e-4 -> 1.4e-4,
    // 1e-4 -> 2e-3 (float32 noise).
    const r1 = await checkGradient(s.nested, [], { variables: vars, step: 3e-4, tolerance: 1e-2 });
    expect(Math.min(...r1.analytic.map(Math.abs))).toBeGreaterThan(1e-3); // the check is not vacuous
    s.dispose();
    x.dispose();
    d.dispose();
  });

  it('an R1 step leaks no tensors', async () => {
    const d = new ToyDiscriminator().initialize(3);
    const x = tf.randomNormal([1, 7, 7, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(() => {
          const g = tf.grad((t: tf.Tensor) => tf.sum(tf.softplus(d.forward(t as tf.Tensor4D))))(x);
          return tf.sum(tf.square(g)) as tf.Scalar;
        }, d.trainableVariables());
      });
    });
    expect(leaked).toBe(0);
    x.dispose();
    d.dispose();
  });
});
