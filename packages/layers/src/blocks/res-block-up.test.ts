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
import { sameValues, snapshot, zeroParameters } from '../testing/state';
import { ResBlockUp } from './res-block-up';

describeBackends('ResBlockUp', () => {
  it('with a zero main path is the 1x1 skip of the bilinear x2 upsampled input', () => {
    const block = new ResBlockUp({ inChannels: 2, outChannels: 3, latentDim: 4 }).initialize(1);
    zeroParameters(block, ['conv2.']);
    const x = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const z = tf.randomNormal([2, 4], 0, 1, 'float32', 2) as tf.Tensor2D;
    const y = block.forward(x, z);
    expect(y.shape).toEqual([2, 6, 6, 3]);
    const expected = tf.tidy(() =>
      block.skip.forward(tf.image.resizeBilinear(x, [6, 6], false, true)),
    );
    for (const [i, v] of expected.dataSync().entries()) expect(y.dataSync()[i]).toBeCloseTo(v, 5);
    tf.dispose([x, z, y, expected]);
    block.dispose();
  });

  it('depends on the latent only through AdaIN: different z, different output', () => {
    const block = new ResBlockUp({ inChannels: 2, outChannels: 2, latentDim: 3 }).initialize(2);
    const x = tf.randomNormal([1, 2, 2, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const [z1, z2] = [tf.tensor2d([[1, 0, 0]]), tf.tensor2d([[0, 0, 1]])];
    expect(sameValues(block.forward(x, z1), block.forward(x, z2))).toBe(false);
    zeroParameters(block, ['norm1.style.weight', 'norm2.style.weight']);
    expect(sameValues(block.forward(x, z1), block.forward(x, z2))).toBe(true);
    tf.dispose([x, z1, z2]);
    block.dispose();
  });

  it('state dict round trip into a differently seeded block gives bit-identical outputs', async () => {
    const a = new ResBlockUp({ inChannels: 2, outChannels: 3, latentDim: 4 }).initialize(10);
    const b = new ResBlockUp({ inChannels: 2, outChannels: 3, latentDim: 4 }).initialize(11);
    const x = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const z = tf.randomNormal([1, 4], 0, 1, 'float32', 5) as tf.Tensor2D;
    expect(sameValues(a.forward(x, z), b.forward(x, z))).toBe(false);
    const saved = await snapshot(a);
    b.loadStateDict(saved);
    expect(sameValues(a.forward(x, z), b.forward(x, z))).toBe(true);
    tf.dispose([x, z, ...Object.values(saved)]);
    a.dispose();
    b.dispose();
  });

  it('has first-order gradients (input, latent, weights) matching finite differences', async () => {
    const block = new ResBlockUp({ inChannels: 2, outChannels: 2, latentDim: 3 }).initialize(6);
    const x = randomVariable([1, 3, 3, 2]);
    const z = randomVariable([1, 3], 9);
    const s = checkScalars((t) => block.forward(t as tf.Tensor4D, z as tf.Tensor2D), x);
    const vars = [x, z, ...block.trainableVariables()];
    await checkGradient(s.first, [], { variables: vars, step: NETWORK_STEP, tolerance: 5e-3 });
    s.dispose();
    tf.dispose([x, z]);
    block.dispose();
  });

  it('leaks no tensors', async () => {
    const block = new ResBlockUp({ inChannels: 2, outChannels: 2, latentDim: 3 }).initialize(6);
    const x = tf.randomNormal([1, 2, 2, 2]) as tf.Tensor4D;
    const z = tf.randomNormal([1, 3]) as tf.Tensor2D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(
          () => tf.sum(block.forward(x, z)) as tf.Scalar,
          block.trainableVariables(),
        );
      });
    });
    expect(leaked).toBe(0);
    tf.dispose([x, z]);
    block.dispose();
  });
});
