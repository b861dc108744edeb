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
import { zeroParameters } from '../testing/state';
import { ResBlock } from './res-block';

describeBackends('ResBlock', () => {
  it('is the identity when the last conv is zero and channels are kept', () => {
    const block = new ResBlock({ inChannels: 3, outChannels: 3 }).initialize(1);
    zeroParameters(block, ['conv2.']);
    const x = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    expect(Array.from(block.forward(x).dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose(x);
    block.dispose();
  });

  it('applies norm -> act -> conv twice plus the 1x1 skip, in that order', () => {
    const block = new ResBlock({
      inChannels: 2,
      outChannels: 3,
      norm: 'instance',
      activation: 'lrelu',
    }).initialize(2);
    const x = tf.randomNormal([2, 4, 4, 2], 0, 1, 'float32', 2) as tf.Tensor4D;
    const y = block.forward(x);
    const expected = tf.tidy(() => {
      const pre = (t: tf.Tensor4D) => tf.leakyRelu(instanceNorm(t), 0.2) as tf.Tensor4D;
      const main = block.conv2.forward(pre(block.conv1.forward(pre(x))));
      return tf.add(main, block.skip!.forward(x));
    });
    expect(y.shape).toEqual([2, 4, 4, 3]);
    const [a, b] = [y.dataSync(), expected.dataSync()];
    for (const [i, v] of b.entries()) expect(a[i]).toBeCloseTo(v, 5);
    tf.dispose([x, y, expected]);
    block.dispose();
  });

  it('rejects wrong channels and unknown options', () => {
    expect(() => new ResBlock({ inChannels: 2, outChannels: 2, norm: 'batch' as 'none' })).toThrow(
      /norm must be 'none' or 'instance', got "batch"/,
    );
    const block = new ResBlock({ inChannels: 2, outChannels: 2 }).initialize(1);
    const x = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    expect(() => block.forward(x)).toThrow(/ResBlock: expected NHWC input with 2 channels/);
    tf.dispose(x);
    block.dispose();
  });

  it('has first-order gradients matching finite differences', async () => {
    const block = new ResBlock({ inChannels: 2, outChannels: 3, norm: 'instance' }).initialize(3);
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

  it('leaks no tensors', async () => {
    const block = new ResBlock({ inChannels: 2, outChannels: 3 }).initialize(3);
    const x = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(() => tf.sum(block.forward(x)) as tf.Scalar, block.trainableVariables());
      });
    });
    expect(leaked).toBe(0);
    x.dispose();
    block.dispose();
  });
});
