import * as tf from '@tensorflow/tfjs-core';
import { leakyRelu } from '@th/backend';
import {
  checkGradient,
  checkScalars,
  describeBackends,
  randomVariable,
  tensorsLeakedPerRun,
} from '@th/backend/test';
import { expect, it } from 'vitest';
import { instanceNorm, modulate } from './instance-norm';

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

  it('with leakySlope equals leaky ReLU after the norm (plain and modulated), outside and under a tape', () => {
    const x = tf.tidy(() => tf.randomNormal([2, 4, 5, 8], 1, 2, 'float32', 5)) as tf.Tensor4D;
    const gs = tf.randomNormal([2, 4, 5, 8], 0, 1, 'float32', 6);
    const bs = tf.randomNormal([2, 4, 5, 8], 0, 1, 'float32', 7);
    const gc = tf.randomNormal([2, 1, 1, 8], 0, 1, 'float32', 8);
    const bc = tf.randomNormal([2, 1, 1, 8], 0, 1, 'float32', 9);
    type F = (t: tf.Tensor4D) => tf.Tensor;
    const pairs: Array<[F, F]> = [
      [(t) => instanceNorm(t, 1e-3, 0.2), (t) => leakyRelu(instanceNorm(t, 1e-3), 0.2)],
      [(t) => modulate(t, gs, bs, 1e-3, 0.2), (t) => leakyRelu(modulate(t, gs, bs, 1e-3), 0.2)],
      [(t) => modulate(t, gc, bc, 1e-3, 0.2), (t) => leakyRelu(modulate(t, gc, bc, 1e-3), 0.2)],
    ];
    const maxDiff = (a: tf.Tensor, c: tf.Tensor) => tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]!;
    for (const [fused, plain] of pairs) {
      tf.tidy(() => {
        expect(maxDiff(fused(x), plain(x))).toBeLessThan(1e-5);
        // Under a tape: the same gradients as the composition.
        const grad = (f: F) => tf.grad((t: tf.Tensor) => tf.sum(tf.square(f(t as tf.Tensor4D))))(x);
        expect(maxDiff(grad(fused), grad(plain))).toBeLessThan(1e-4);
      });
    }
    tf.dispose([x, gs, bs, gc, bc]);
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
