import * as tf from '@tensorflow/tfjs-core';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { instanceNorm } from './instance-norm';

describeBackends('instanceNorm', () => {
  it('gives per-sample, per-channel mean 0 and variance var/(var+eps)', () => {
    const eps = 0.5; // large, so the var/(var+eps) factor is clearly visible
    const x = tf.tidy(() =>
      tf.add(tf.mul(tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 3), 2), 7),
    ) as tf.Tensor4D;
    const xs = x.arraySync();
    const y = instanceNorm(x, eps).arraySync();
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++) {
        const column = (a: number[][][][]) => a[n]!.flatMap((row) => row.map((px) => px[c]!));
        const stats = (v: number[]) => {
          const m = v.reduce((a, b) => a + b, 0) / v.length;
          return [m, v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length] as const; // population
        };
        const [, varX] = stats(column(xs));
        const [meanY, varY] = stats(column(y));
        expect(meanY).toBeCloseTo(0, 5);
        expect(varY).toBeCloseTo(varX / (varX + eps), 4);
      }
    x.dispose();
  });

  it('maps a constant channel to zero and rejects bad input', () => {
    const x = tf.fill([1, 3, 3, 2], 4) as tf.Tensor4D;
    expect(Array.from(instanceNorm(x).dataSync()).every((v) => v === 0)).toBe(true);
    const flat = tf.zeros([3, 3]);
    expect(() => instanceNorm(flat as unknown as tf.Tensor4D)).toThrow(
      /expected NHWC rank-4 input/,
    );
    tf.dispose([x, flat]);
  });

  it('has first-order and nested gradients matching finite differences', async () => {
    const x = randomVariable([2, 3, 3, 2]);
    const s = checkScalars((t) => instanceNorm(t as tf.Tensor4D), x);
    await checkGradient(s.first, [], { variables: [x], tolerance: 5e-3 });
    await checkGradient(s.nested, [], { variables: [x], tolerance: 1e-2 });
    s.dispose();
    x.dispose();
  });

  it('leaks no tensors', async () => {
    const x = tf.randomNormal([1, 3, 3, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.grad((t: tf.Tensor) => tf.sum(instanceNorm(t as tf.Tensor4D)))(x);
      });
    });
    expect(leaked).toBe(0);
    x.dispose();
  });
});
