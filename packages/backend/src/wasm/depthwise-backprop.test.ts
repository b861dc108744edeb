import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import { relativeMaxError } from './naive-conv-grads';
import { isWasmTrainingKernel } from './register';

type Shape4 = [number, number, number, number];
interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  strides: 1 | 2;
  pad: 'same' | 'valid' | tf.backend_util.ExplicitPadding;
}

/** Gradients of sum(depthwiseConv2d(x, w) · r) w.r.t. x and w on the active backend. */
async function depthwiseGrads(c: Case, x: Float32Array, w: Float32Array, r: Float32Array) {
  const xt = tf.tensor4d(x, c.x);
  const wt = tf.tensor4d(w, c.w);
  const conv = (a: tf.Tensor, b: tf.Tensor) =>
    tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
  const y = conv(xt, wt);
  const rt = tf.tensor(r, y.shape);
  y.dispose();
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), rt)))([
    xt,
    wt,
  ]);
  const out = { dx: await dx!.data(), dw: await dw!.data() };
  tf.dispose([xt, wt, rt, dx!, dw!]);
  return out;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

const CASES: Case[] = [
  {
    name: '3x3 same, multiplier 1, batch 2',
    x: [2, 8, 8, 5],
    w: [3, 3, 5, 1],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3 stride 2 same, odd 7x7, multiplier 2',
    x: [4, 7, 7, 3],
    w: [3, 3, 3, 2],
    strides: 2,
    pad: 'same',
  },
  {
    name: '5x5 valid, multiplier 3, batch 1',
    x: [1, 9, 8, 2],
    w: [5, 5, 2, 3],
    strides: 1,
    pad: 'valid',
  },
  {
    name: '4x4 stride 2 valid (blur-like)',
    x: [2, 10, 10, 4],
    w: [4, 4, 4, 1],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '3x3 explicit asymmetric pad',
    x: [1, 6, 7, 3],
    w: [3, 3, 3, 1],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
];

describe('wasm depthwise conv gradients equal the cpu backend', () => {
  it('the @th depthwise kernels are active on wasm', async () => {
    await init({ backend: 'wasm' });
    expect(isWasmTrainingKernel('DepthwiseConv2dNativeBackpropFilter')).toBe(true);
    expect(isWasmTrainingKernel('DepthwiseConv2dNativeBackpropInput')).toBe(true);
  });

  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const rng = createRng(300 + index);
      const x = rng.normalArray(size(c.x));
      const w = rng.normalArray(size(c.w), 0.3);
      await init({ backend: 'cpu' });
      const outSize = tf.tidy(
        () =>
          tf.depthwiseConv2d(
            tf.zeros(c.x) as tf.Tensor4D,
            tf.zeros(c.w) as tf.Tensor4D,
            c.strides,
            c.pad,
          ).size,
      );
      const r = rng.normalArray(outSize);
      const cpu = await depthwiseGrads(c, x, w, r);
      await init({ backend: 'wasm' });
      const before = tf.memory().numTensors;
      const wasm = await depthwiseGrads(c, x, w, r);
      expect(tf.memory().numTensors).toBe(before);
      expect(relativeMaxError(wasm.dx, cpu.dx)).toBeLessThan(1e-4);
      expect(relativeMaxError(wasm.dw, cpu.dw)).toBeLessThan(1e-4);
      expect(Math.max(...cpu.dw.map(Math.abs))).toBeGreaterThan(0.1);
    });
  }
});
