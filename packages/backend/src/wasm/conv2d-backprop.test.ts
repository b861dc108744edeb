import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import {
  EXPECTED_HOST_FUSED_KERNEL_NAMES,
  EXPECTED_WASM_KERNEL_NAMES,
} from './expected-kernel-names';
import { naiveConvGrads, relativeMaxError } from './naive-conv-grads';
import { isWasmTrainingKernel } from './register';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  strides: number | [number, number];
  pad: Pad;
}

/** Gradients of sum(conv2d(x, w) · r) w.r.t. x and w on the active backend, as plain arrays. */
async function convGrads(c: Case, x: Float32Array, w: Float32Array, r: Float32Array) {
  const xt = tf.tensor4d(x, c.x);
  const wt = tf.tensor4d(w, c.w);
  const y = tf.conv2d(xt, wt, c.strides, c.pad);
  const rt = tf.tensor(r, y.shape);
  y.dispose();
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), rt)),
  )([xt, wt]);
  const out = { dx: await dx!.data(), dw: await dw!.data() };
  tf.dispose([xt, wt, rt, dx!, dw!]);
  return out;
}

function outputShape(c: Case): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.w, c.strides, 1, c.pad);
  return [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

const CASES: Case[] = [
  {
    name: '3x3 same, Cin != Cout, batch 2',
    x: [2, 8, 8, 3],
    w: [3, 3, 3, 5],
    strides: 1,
    pad: 'same',
  },
  { name: '1x1 valid, batch 1', x: [1, 5, 6, 4], w: [1, 1, 4, 6], strides: 1, pad: 'valid' },
  { name: '7x7 same on a 9x9 input', x: [1, 9, 9, 2], w: [7, 7, 2, 3], strides: 1, pad: 'same' },
  { name: '3x3 valid, batch 4', x: [4, 7, 6, 3], w: [3, 3, 3, 2], strides: 1, pad: 'valid' },
  {
    name: 'stride 2 same, odd 7x7 input, batch 4',
    x: [4, 7, 7, 3],
    w: [3, 3, 3, 4],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'stride 2 same, even 8x8 input',
    x: [2, 8, 8, 2],
    w: [3, 3, 2, 3],
    strides: 2,
    pad: 'same',
  },
  { name: 'stride 2 valid, 8x9 input', x: [4, 8, 9, 3], w: [3, 3, 3, 2], strides: 2, pad: 'valid' },
  {
    name: 'stride 2 valid, odd 7x7 input',
    x: [1, 7, 7, 2],
    w: [3, 3, 2, 3],
    strides: 2,
    pad: 'valid',
  },
  {
    name: 'stride 2 1x1 same (dy rows past the input)',
    x: [1, 7, 7, 2],
    w: [1, 1, 2, 3],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'stride 3 4x4 same, rectangular',
    x: [2, 10, 7, 2],
    w: [4, 4, 2, 3],
    strides: 3,
    pad: 'same',
  },
  {
    name: 'strides [1,2], 2x3 filter, explicit asymmetric pad',
    x: [2, 6, 7, 2],
    w: [2, 3, 2, 3],
    strides: [1, 2],
    pad: [
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
    ],
  },
  {
    name: 'explicit pad wider than the filter (negative transposed pad)',
    x: [1, 5, 5, 2],
    w: [3, 3, 2, 2],
    strides: 1,
    pad: [
      [0, 0],
      [3, 3],
      [0, 4],
      [0, 0],
    ],
  },
];

describe('wasm conv2d gradients equal the cpu backend', () => {
  it('the @th kernels are the active wasm kernels', async () => {
    const report = await init({ backend: 'wasm' });
    expect(report.addedKernels).toEqual([
      ...EXPECTED_WASM_KERNEL_NAMES,
      ...EXPECTED_HOST_FUSED_KERNEL_NAMES,
    ]);
    expect(isWasmTrainingKernel('Conv2DBackpropFilter')).toBe(true);
    expect(isWasmTrainingKernel('Conv2DBackpropInput')).toBe(true);
  });

  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const rng = createRng(100 + index);
      const x = rng.normalArray(size(c.x));
      const w = rng.normalArray(size(c.w), 0.3);
      const r = rng.normalArray(size(outputShape(c)));
      await init({ backend: 'cpu' });
      const cpu = await convGrads(c, x, w, r);
      await init({ backend: 'wasm' });
      const wasm = await convGrads(c, x, w, r);
      expect(relativeMaxError(wasm.dx, cpu.dx)).toBeLessThan(1e-4);
      expect(relativeMaxError(wasm.dw, cpu.dw)).toBeLessThan(1e-4);
      // The sums are not trivially zero (a test that compares zeros could not fail).
      expect(Math.max(...cpu.dw.map(Math.abs))).toBeGreaterThan(0.1);
    });
  }
});

describe('wasm conv2d backprop kernels with dilations equal the defining sums', () => {
  // tfjs' conv2d gradient refuses dilations, but the kernels take them; check them directly.
  const g = {
    x: [2, 9, 8, 3] as Shape4,
    w: [3, 2, 3, 4] as Shape4,
    dy: [2, 6, 3, 4] as Shape4,
    strides: [1, 2] as [number, number],
    dilations: [2, 3] as [number, number],
    top: 1,
    left: 0,
  };
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [1, 0],
    [0, 1],
    [0, 0],
  ];

  it('filter and input gradients', async () => {
    await init({ backend: 'wasm' });
    const rng = createRng(7);
    const x = rng.normalArray(size(g.x));
    const w = rng.normalArray(size(g.w));
    const dy = rng.normalArray(size(g.dy));
    const ref = naiveConvGrads(g, x, w, dy);
    const attrs = { strides: g.strides, pad, dataFormat: 'NHWC', dilations: g.dilations };
    const [xt, wt, dyt] = [tf.tensor4d(x, g.x), tf.tensor4d(w, g.w), tf.tensor4d(dy, g.dy)];
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, {
      ...attrs,
      filterShape: g.w,
    } as never) as tf.Tensor;
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: dyt, filter: wt }, {
      ...attrs,
      inputShape: g.x,
    } as never) as tf.Tensor;
    expect(dw.shape).toEqual(g.w);
    expect(dx.shape).toEqual(g.x);
    expect(relativeMaxError(await dw.data(), ref.dw)).toBeLessThan(1e-5);
    expect(relativeMaxError(await dx.data(), ref.dx)).toBeLessThan(1e-5);
    tf.dispose([xt, wt, dyt, dw, dx]);
  });
});
