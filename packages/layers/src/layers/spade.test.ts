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
import { LayoutPyramid } from './layout-pyramid';
import { SPADE } from './spade';

describeBackends('SPADE', () => {
  it('equals instance norm when the gamma/beta convs are zero', () => {
    const spade = new SPADE({ channels: 3, labelChannels: 2, hidden: 4 }).initialize(1);
    const dict = spade.stateDict();
    const zeroed = Object.fromEntries(
      Object.entries(dict).map(([k, t]) => [k, k.startsWith('shared') ? t : tf.zerosLike(t)]),
    );
    spade.loadStateDict(zeroed);
    const x = tf.randomNormal([2, 4, 4, 3], 1, 2, 'float32', 2) as tf.Tensor4D;
    const layout = tf.randomUniform([2, 8, 8, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout);
    const y = spade.forward(x, pyramid).dataSync();
    const ref = instanceNorm(x).dataSync();
    for (const [i, v] of ref.entries()) expect(y[i]).toBeCloseTo(v, 5);
    tf.dispose([x, layout]);
    pyramid.dispose();
    spade.dispose();
  });

  it('modulates with the layout at the feature resolution: a constant layout gives constant gamma/beta', () => {
    // A uniform layout makes h, gamma and beta spatially constant at least 2 pixels away from the
    // zero-padded border (two stacked 3x3 convs), so there y = IN(x)*(1+g)+b with one g and b.
    const spade = new SPADE({ channels: 1, labelChannels: 1, hidden: 2 }).initialize(4);
    const x = tf.randomNormal([1, 8, 8, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    const layout = tf.ones([1, 16, 16, 1]) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout);
    const y = spade.forward(x, pyramid).arraySync()[0]!;
    const n = instanceNorm(x).arraySync()[0]!;
    // Solve g, b from two interior pixels, then check every other interior pixel.
    const [p, q] = [n[2]![2]![0]!, n[3]![3]![0]!];
    const g = (y[2]![2]![0]! - y[3]![3]![0]!) / (p - q);
    const b = y[2]![2]![0]! - g * p;
    for (let i = 2; i < 6; i++)
      for (let j = 2; j < 6; j++) expect(y[i]![j]![0]).toBeCloseTo(g * n[i]![j]![0]! + b, 4);
    tf.dispose([x, layout]);
    pyramid.dispose();
    spade.dispose();
  });

  it('counts shared + gamma + beta conv parameters', () => {
    // LSR: 19 labels, hidden 64, C = 512.
    const expected = 9 * 19 * 64 + 64 + 2 * (9 * 64 * 512 + 512);
    expect(new SPADE({ channels: 512, labelChannels: 19 }).numParams()).toBe(expected);
    expect(new SPADE({ channels: 8, labelChannels: 3, hidden: 128 }).numParams()).toBe(
      9 * 3 * 128 + 128 + 2 * (9 * 128 * 8 + 8),
    );
  });

  it('rejects a layout with the wrong channel count', () => {
    const spade = new SPADE({ channels: 2, labelChannels: 3 }).initialize(1);
    const x = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    const layout = tf.zeros([1, 2, 2, 4]) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout);
    expect(() => spade.forward(x, pyramid)).toThrow(/layout has 4 channels, expected 3/);
    tf.dispose([x, layout]);
    pyramid.dispose();
    spade.dispose();
  });

  it('has first-order gradients (features, layout, weights) matching finite differences', async () => {
    const spade = new SPADE({ channels: 2, labelChannels: 2, hidden: 3 }).initialize(2);
    const x = randomVariable([1, 3, 3, 2]);
    const layout = randomVariable([1, 6, 6, 2], 4);
    const s = checkScalars((t) => {
      const pyramid = new LayoutPyramid(layout as tf.Tensor4D);
      return spade.forward(t as tf.Tensor4D, pyramid);
    }, x);
    await checkGradient(s.first, [], {
      variables: [x, layout, ...spade.trainableVariables()],
      tolerance: 5e-3,
    });
    s.dispose();
    tf.dispose([x, layout]);
    spade.dispose();
  });

  it('leaks no tensors', async () => {
    const spade = new SPADE({ channels: 2, labelChannels: 2, hidden: 3 }).initialize(2);
    const x = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D;
    const layout = tf.randomUniform([1, 8, 8, 2]) as tf.Tensor4D;
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        tf.variableGrads(() => {
          const pyramid = new LayoutPyramid(layout);
          return tf.sum(spade.forward(x, pyramid)) as tf.Scalar;
        }, spade.trainableVariables());
      });
    });
    expect(leaked).toBe(0);
    tf.dispose([x, layout]);
    spade.dispose();
  });
});
