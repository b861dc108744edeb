import * as tf from '@tensorflow/tfjs-core';
import { countKernels } from '@th/backend';
import { describeBackends, tensorsLeakedPerRun } from '@th/backend/test';
import { expect, it } from 'vitest';
import { modulate } from './instance-norm';
import { LayoutPyramid } from './layout-pyramid';
import { SPADE } from './spade';

// WebGPU inference runs γ's and β's convs as one conv (both filters side by side) and reads γ, β
// from its output unsplit. Reference: the two-conv form of the same layer on the same backend.

function twoConvForm(spade: SPADE, x: tf.Tensor4D, pyramid: LayoutPyramid): tf.Tensor4D {
  return tf.tidy(() => {
    const h = spade.shared.forward(pyramid.at(x.shape[1], x.shape[2]), { activation: 'relu' });
    return modulate(x, spade.gamma.forward(h), spade.beta.forward(h), spade.epsilon, 0.2);
  });
}

/** max |a − b|, read asynchronously (WebGPU in Node has no synchronous read). */
async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const [v] = await d.data();
  d.dispose();
  return v!;
}

describeBackends('SPADE inference, γ and β as one conv', () => {
  it('equals the two-conv form with one conv dispatch fewer, and follows weight changes', async () => {
    const spade = new SPADE({ channels: 8, labelChannels: 5, hidden: 6 }).initialize(3);
    const x = tf.randomNormal([1, 12, 10, 8], 0.5, 2, 'float32', 4) as tf.Tensor4D;
    const layout = tf.randomUniform([1, 24, 20, 5], 0, 1, 'float32', 5) as tf.Tensor4D;
    const pyramid = new LayoutPyramid(layout);
    const zero = tf.zeros([1, 12, 10, 8]);
    const first = twoConvForm(spade, x, pyramid);
    const scale = await maxAbsDiff(first, zero);
    tf.dispose([zero, first]);

    const fused = spade.forward(x, pyramid, 0.2);
    const ref = twoConvForm(spade, x, pyramid);
    expect(await maxAbsDiff(fused, ref)).toBeLessThan(1e-5 * scale);
    tf.dispose([fused, ref]);

    // Once the side-by-side filter exists: the two-conv form's kernels minus one conv.
    const packedKernels = await countKernels(() => tf.dispose(spade.forward(x, pyramid, 0.2)));
    const twoConvKernels = await countKernels(() => tf.dispose(twoConvForm(spade, x, pyramid)));
    expect(packedKernels.kernels).toBe(twoConvKernels.kernels - 1);
    expect(await tensorsLeakedPerRun(() => tf.dispose(spade.forward(x, pyramid, 0.2)))).toBe(0);

    // New β weights (as a training step or a checkpoint load makes them): the filter is rebuilt.
    const dict = spade.stateDict();
    const beta = tf.mul(dict['beta.weight']!, -1.5);
    spade.loadStateDict({ ...dict, 'beta.weight': beta });
    beta.dispose();
    const after = spade.forward(x, pyramid, 0.2);
    const afterRef = twoConvForm(spade, x, pyramid);
    expect(await maxAbsDiff(after, afterRef)).toBeLessThan(1e-5 * scale);
    tf.dispose([after, afterRef]);

    // dispose frees the parameters and the side-by-side copies.
    const before = tf.memory().numTensors;
    spade.dispose();
    expect(before - tf.memory().numTensors).toBe(6 + 2);
    tf.dispose([x, layout]);
    pyramid.dispose();
  });
}, ['webgpu']);
