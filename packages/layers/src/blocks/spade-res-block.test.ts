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
import { instanceNorm } from '../layers/instance-norm';
import { LayoutPyramid } from '../layers/layout-pyramid';
import { sameValues, snapshot, zeroParameters } from '../testing/state';
import { SPADEResBlock } from './spade-res-block';

describeBackends('SPADEResBlock', () => {
  it('identity skip when channels are kept; learned skip = 1x1(IN(x)) when its SPADE is zero', () => {
    const x = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const layout = tf.randomUniform([1, 8, 8, 2], 0, 1, 'float32', 2) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout);

    const same = new SPADEResBlock({
      inChannels: 3,
      outChannels: 3,
      labelChannels: 2,
      hidden: 4,
    }).initialize(1);
    zeroParameters(same, ['conv2.']);
    expect(sameValues(same.forward(x, pyramid), x)).toBe(true);
    expect(same.skip).toBeNull();

    const learned = new SPADEResBlock({
      inChannels: 3,
      outChannels: 2,
      labelChannels: 2,
      hidden: 4,
    }).initialize(1);
    zeroParameters(learned, ['conv2.', 'normSkip.gamma.', 'normSkip.beta.']);
    const y = learned.forward(x, pyramid);
    const expected = tf.tidy(() => learned.skip!.forward(instanceNorm(x)));
    expect(y.shape).toEqual([1, 4, 4, 2]);
    for (const [i, v] of expected.dataSync().entries()) expect(y.dataSync()[i]).toBeCloseTo(v, 5);
    tf.dispose([x, layout, y, expected]);
    pyramid.dispose();
    same.dispose();
    learned.dispose();
  });

  it('state dict round trip into a differently seeded block gives bit-identical outputs', async () => {
    const opts = { inChannels: 3, outChannels: 2, labelChannels: 2, hidden: 4 };
    const a = new SPADEResBlock(opts).initialize(1);
    const b = new SPADEResBlock(opts).initialize(2);
    const x = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const layout = tf.randomUniform([1, 4, 4, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout);
    expect(sameValues(a.forward(x, pyramid), b.forward(x, pyramid))).toBe(false);
    const saved = await snapshot(a);
    b.loadStateDict(saved);
    expect(sameValues(a.forward(x, pyramid), b.forward(x, pyramid))).toBe(true);
    tf.dispose([x, layout, ...Object.values(saved)]);
    pyramid.dispose();
    a.dispose();
    b.dispose();
  });

  it('has first-order gradients (features, layout, weights) matching finite differences', async () => {
    const block = new SPADEResBlock({
      inChannels: 2,
      outChannels: 3,
      labelChannels: 2,
      hidden: 3,
    }).initialize(7);
    const x = randomVariable([1, 3, 3, 2]);
    const layout = randomVariable([1, 6, 6, 2], 5);
    const s = checkScalars(
      (t) => block.forward(t as tf.Tensor4D, new LayoutPyramid(layout as tf.Tensor4D)),
      x,
    );
    const vars = [x, layout, ...block.trainableVariables()];
    await checkGradient(s.first, [], { variables: vars, step: NETWORK_STEP, tolerance: 5e-3 });
    s.dispose();
    tf.dispose([x, layout]);
    block.dispose();
  });

  it('leaks no tensors', async () => {
    const block = new SPADEResBlock({
      inChannels: 2,
      outChannels: 3,
      labelChannels: 2,
      hidden: 3,
    }).initialize(7);
    const x = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D;
    const layout = tf.randomUniform([1, 8, 8, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(
          () => tf.sum(block.forward(x, new LayoutPyramid(layout))) as tf.Scalar,
          block.trainableVariables(),
        );
      });
    });
    expect(leaked).toBe(0);
    tf.dispose([x, layout]);
    block.dispose();
  });
});
