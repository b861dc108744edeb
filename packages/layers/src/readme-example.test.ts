import * as tf from '@tensorflow/tfjs-core';
import { describeBackends, tensorsLeakedPerRun } from '@th/backend/test';
import { expect, it } from 'vitest';
import {
  applyActivation,
  EqConv2d,
  EqDense,
  LayoutPyramid,
  Module,
  SPADEResBlock,
  UpsampleBilinear2x,
} from './index';

// The README's example, verbatim apart from the imports: it must keep running.
class TinySpadeGenerator extends Module {
  readonly fc = this.child('fc', new EqDense({ inFeatures: 16, outFeatures: 4 * 4 * 16 }));
  readonly block0 = this.child(
    'block0',
    new SPADEResBlock({ inChannels: 16, outChannels: 16, labelChannels: 5, hidden: 8 }),
  );
  readonly block1 = this.child(
    'block1',
    new SPADEResBlock({ inChannels: 16, outChannels: 8, labelChannels: 5, hidden: 8 }),
  );
  readonly toRgb = this.child(
    'toRgb',
    new EqConv2d({ inChannels: 8, outChannels: 3, kernelSize: 3, gain: 1 }),
  );
  private readonly up = new UpsampleBilinear2x();

  /** z: [N, 16], layout: [N, 8, 8, 5] -> image [N, 8, 8, 3]. */
  forward(z: tf.Tensor2D, layout: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      const pyramid = new LayoutPyramid(layout); // pooled once, shared by every SPADE
      let x = tf.reshape(this.fc.forward(z), [-1, 4, 4, 16]) as tf.Tensor4D;
      x = this.block0.forward(x, pyramid);
      x = this.block1.forward(this.up.forward(x), pyramid);
      return this.toRgb.forward(applyActivation('lrelu', x));
    });
  }
}

describeBackends('README example', () => {
  it('builds, runs, trains a step and counts parameters', async () => {
    const g = new TinySpadeGenerator().initialize(42);
    const layout = tf.softmax(tf.randomNormal([2, 8, 8, 5], 0, 1, 'float32', 1)) as tf.Tensor4D;
    const z = tf.randomNormal([2, 16], 0, 1, 'float32', 2) as tf.Tensor2D;
    const image = g.forward(z, layout);
    expect(image.shape).toEqual([2, 8, 8, 3]);
    const spade = (c: number) => 9 * 5 * 8 + 8 + 2 * (9 * 8 * c + c);
    const conv = (k: number, i: number, o: number) => k * k * i * o + o;
    const fc = 16 * 256 + 256;
    const block0 = 2 * spade(16) + 2 * conv(3, 16, 16);
    const block1 = spade(16) + conv(3, 16, 8) + spade(8) + conv(3, 8, 8) + spade(16) + 16 * 8;
    expect(g.numParams()).toBe(fc + block0 + block1 + conv(3, 8, 3));
    expect(Object.keys(g.stateDict())).toContain('block1.normSkip.shared.weight');
    // One gradient step on an L1 loss lowers it, and leaves no tensors behind.
    const target = tf.zeros([2, 8, 8, 3]);
    const loss = () => tf.mean(tf.abs(tf.sub(g.forward(z, layout), target))) as tf.Scalar;
    const before = tf.tidy(() => loss().dataSync()[0]!);
    const leaked = await tensorsLeakedPerRun(() => {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(loss, g.trainableVariables());
        for (const v of g.trainableVariables()) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 1e-3)));
      });
    }, 1);
    expect(leaked).toBe(0);
    expect(tf.tidy(() => loss().dataSync()[0]!)).toBeLessThan(before);
    tf.dispose([layout, z, image, target]);
    g.dispose();
  });
});
