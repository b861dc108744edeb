import * as tf from '@tensorflow/tfjs-core';
import { blurPool } from '@th/backend';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  NETWORK_STEP,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { zeroParameters } from '../testing/state';
import { ResBlockDown } from './res-block-down';

describeBackends('ResBlockDown', () => {
  it('with a zero main path is m * blur(1x1 skip(x)) at half resolution', () => {
    const block = new ResBlockDown({
      inChannels: 2,
      outChannels: 3,
      outputScale: Math.SQRT1_2,
    }).initialize(1);
    zeroParameters(block, ['conv2.']);
    const x = tf.randomNormal([1, 6, 6, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const y = block.forward(x);
    expect(y.shape).toEqual([1, 3, 3, 3]);
    const expected = tf.tidy(() => tf.mul(blurPool(block.skip.forward(x)), Math.SQRT1_2));
    for (const [i, v] of expected.dataSync().entries()) expect(y.dataSync()[i]).toBeCloseTo(v, 5);
    tf.dispose([x, y, expected]);
    block.dispose();
  });

  it('keeps SAME blur geometry on odd sizes (7 -> 4)', () => {
    const block = new ResBlockDown({ inChannels: 2, outChannels: 2 }).initialize(1);
    const x = tf.zeros([1, 7, 7, 2]) as tf.Tensor4D;
    expect(block.forward(x).shape).toEqual([1, 4, 4, 2]);
    tf.dispose(x);
    block.dispose();
  });

  it('discriminator form (no norm, lrelu, m = 1/sqrt 2): first-order and nested gradients match finite differences', async () => {
    const block = new ResBlockDown({
      inChannels: 2,
      outChannels: 3,
      outputScale: Math.SQRT1_2,
    }).initialize(4);
    const x = randomVariable([1, 6, 6, 2]);
    // R1-style: the nested scalar is sum((d/dx sum(D(x) * w))^2), differentiated w.r.t. x and weights.
    const s = checkScalars((t) => block.forward(t as tf.Tensor4D), x);
    const vars = [x, ...block.trainableVariables()];
    await checkGradient(s.first, [], { variables: vars, step: NETWORK_STEP, tolerance: 5e-3 });
    await checkGradient(s.nested, [], { variables: vars, step: NETWORK_STEP, tolerance: 1e-2 });
    s.dispose();
    x.dispose();
    block.dispose();
  });

  it('U-Net form (instance norm): first-order gradients match finite differences', async () => {
    const block = new ResBlockDown({ inChannels: 2, outChannels: 2, norm: 'instance' }).initialize(
      5,
    );
    const x = randomVariable([1, 4, 4, 2]);
    const s = checkScalars((t) => block.forward(t as tf.Tensor4D), x);
    await checkGradient(s.first, [], {
      variables: [x, ...block.trainableVariables()],
      step: NETWORK_STEP,
      tolerance: 5e-3,
    });
    s.dispose();
    x.dispose();
    block.dispose();
  });

  it('leaks no tensors through an R1 step', async () => {
    const block = new ResBlockDown({
      inChannels: 2,
      outChannels: 2,
      outputScale: Math.SQRT1_2,
    }).initialize(3);
    const x = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(() => {
          const g = tf.grad((t: tf.Tensor) => tf.sum(block.forward(t as tf.Tensor4D)))(x);
          return tf.sum(tf.square(g)) as tf.Scalar;
        }, block.trainableVariables());
      });
    });
    expect(leaked).toBe(0);
    x.dispose();
    block.dispose();
  });
});
