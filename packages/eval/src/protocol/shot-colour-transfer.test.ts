import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { shotColourTransfer } from './shot-colour-transfer';

describe('shotColourTransfer', () => {
  beforeAll(async () => {
    await init({ backend: 'cpu' });
  });
  // Shots with a reddish cast, so swapping red and blue changes their mean colour.
  const shots = () =>
    tf.tidy(() =>
      tf.add(
        tf.randomUniform([1, 4, 6, 6, 3], -0.3, 0.3, 'float32', 1),
        tf.tensor1d([0.4, 0, -0.4]),
      ),
    ) as tf.Tensor5D;
  // Three renderers of 5 driving frames: the shots' mean (follows them), a constant (ignores them),
  // and half of each.
  const follows = (s: tf.Tensor5D) =>
    tf.tidy(() =>
      tf.tile(tf.reshape(tf.mean(s, [0, 1]), [1, 6, 6, 3]), [5, 1, 1, 1]),
    ) as tf.Tensor4D;
  const ignores = () => tf.fill([5, 6, 6, 3], 0.2) as tf.Tensor4D;
  const half = (s: tf.Tensor5D) =>
    tf.tidy(() => {
      const [f, i] = [follows(s), ignores()];
      return tf.add(tf.mul(f, 0.5), tf.mul(i, 0.5));
    }) as tf.Tensor4D;

  it('is 1 for an output that follows the shots, 0 for one that ignores them, ½ for half of each', async () => {
    const s = shots();
    const a = await shotColourTransfer(follows, s);
    expect(a.transfer).toBeCloseTo(1, 5);
    expect(a.shotShift[0]).toBeCloseTo(-0.8, 1); // red mean 0.4 → −0.4
    expect(a.shotShift[1]).toBeCloseTo(0, 6);
    expect((await shotColourTransfer(ignores, s)).transfer).toBeCloseTo(0, 6);
    expect((await shotColourTransfer(half, s)).transfer).toBeCloseTo(0.5, 5);
    s.dispose();
  });

  it('refuses shots whose swap changes nothing (equal red and blue means)', async () => {
    const grey = tf.fill([1, 2, 6, 6, 3], 0.1) as tf.Tensor5D;
    await expect(shotColourTransfer(follows, grey)).rejects.toThrow(/equal red and blue means/);
    grey.dispose();
  });
});
