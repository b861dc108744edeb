import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { describeBackends } from '../testing/describe-backends';
import { withTfjsGradients } from './early-free-backprop';

const weights = (seed: number) =>
  [0, 1, 2, 3, 4, 5].map((i) => tf.randomNormal([32, 32], 0, 0.3, 'float32', seed + i));

/** A 6-layer tanh MLP on [16, 32] inputs, summed. */
function mlp(x: tf.Tensor, ws: tf.Tensor[]): tf.Scalar {
  let h = x;
  for (const w of ws) h = tf.tanh(tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D));
  return tf.sum(h);
}

/** Highest tf.memory().numBytes above the starting point, sampled after every kernel of `fn`. */
function peakBytesOf(fn: () => void): number {
  const engine = tf.engine() as unknown as { runKernelFunc(...a: unknown[]): unknown };
  const run = engine.runKernelFunc;
  const base = tf.memory().numBytes;
  let peak = 0;
  engine.runKernelFunc = function (this: unknown, ...a: unknown[]) {
    const out = run.apply(this, a);
    peak = Math.max(peak, tf.memory().numBytes - base);
    return out;
  };
  try {
    fn();
  } finally {
    delete (engine as Partial<typeof engine>).runKernelFunc;
  }
  return peak;
}

async function valuesOf(ts: tf.Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(await t.data())));
}

describeBackends('early-free backward pass', () => {
  it('gives bit-identical gradients with a lower memory peak than tfjs', async () => {
    const ws = weights(1);
    const x = tf.randomNormal([256, 32], 0, 1, 'float32', 9);
    const run = () => tf.grads((...vs: tf.Tensor[]) => mlp(x, vs))(ws);
    const before = tf.memory().numTensors;
    const oursPeak = peakBytesOf(() => tf.dispose(run()));
    const tfjsPeak = peakBytesOf(() => tf.dispose(withTfjsGradients(run)));
    expect(tf.memory().numTensors).toBe(before);
    const ours = await valuesOf(run());
    const theirs = await valuesOf(withTfjsGradients(run));
    expect(ours).toEqual(theirs);
    // 6 layers of [256,32] activations and their gradients: tfjs holds all gradients to the end.
    expect(oursPeak).toBeLessThan(0.9 * tfjsPeak);
    tf.dispose([...ws, x]);
  });

  it('nested gradients (an R1-style penalty) are bit-identical too', async () => {
    const ws = weights(20);
    const x = tf.randomNormal([16, 32], 0, 1, 'float32', 30);
    const penalty = (...vs: tf.Tensor[]) => {
      const gx = tf.grad((xi: tf.Tensor) => mlp(xi, vs))(x);
      return tf.sum(tf.square(gx));
    };
    const ours = await valuesOf(tf.grads(penalty)(ws));
    const theirs = await valuesOf(withTfjsGradients(() => tf.grads(penalty)(ws)));
    expect(ours).toEqual(theirs);
    tf.dispose([...ws, x]);
  });

  it('handles a gradient shared by several inputs (x + x, dy passed through)', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.add(a, a), tf.add(a, 1))))(x);
    // d/da [(2a)(a+1)] = 4a + 2
    expect(Array.from(await g.data())).toEqual([6, 10, 14]);
    tf.dispose([x, g]);
  });
});
