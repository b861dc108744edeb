import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { registerChainedOps } from './register-chained-ops';

describe('registerChainedOps', () => {
  it("adds tfjs' tensor methods, computing what the functional ops compute", async () => {
    await init({ backend: 'cpu' });
    const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
    expect(proto.as3D).toBeUndefined(); // tfjs-core's Node entry has none
    await registerChainedOps();
    await registerChainedOps(); // idempotent
    const x = tf.tensor1d([1, -2, 3, -4]);
    type Chained = tf.Tensor & {
      relu(): tf.Tensor;
      as3D(a: number, b: number, c: number): tf.Tensor;
      sub(y: tf.Tensor): tf.Tensor;
    };
    const c = x as Chained;
    expect(Array.from(await c.relu().data())).toEqual([1, 0, 3, 0]);
    expect(c.as3D(1, 2, 2).shape).toEqual([1, 2, 2]);
    expect(Array.from(await c.sub(tf.scalar(1)).data())).toEqual([0, -3, 2, -5]);
  });
});
