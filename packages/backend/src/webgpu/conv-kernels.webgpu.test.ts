import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import { planGemm } from './gemm-tiles';
import { countingFallbacks, maxAbs, outputsOn, relativeMaxError } from './kernel-check';
import { isWebGpuKernel } from './register';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  strides: number | [number, number];
  pad: Pad;
  dilations?: number;
}

/**
 * Shapes covering what LSR runs (EqConv2d: 1×1, 3×3 and the 7×7 stem, stride 1 'same'; the
 * RGB output conv with 3 channels, D's 1-channel output, wide-and-small 512-channel-like
 * stages), the double-backward roles (the same kernels with other shapes), and general cases:
 * stride 2 on even and odd sizes, valid and explicit padding, channel counts that are not
 * multiples of 4 (scalar loads) and ones that are (vec4 loads), batch 1.
 */
const CASES: Case[] = [
  {
    name: '3x3 same, 8->8 (vec4), batch 2',
    x: [2, 9, 9, 8],
    w: [3, 3, 8, 8],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3 same, 3->5 (scalar), batch 1',
    x: [1, 7, 6, 3],
    w: [3, 3, 3, 5],
    strides: 1,
    pad: 'same',
  },
  { name: '1x1 valid, 8->4', x: [2, 5, 5, 8], w: [1, 1, 8, 4], strides: 1, pad: 'valid' },
  { name: '1x1 same, 6->1 (D output)', x: [2, 4, 5, 6], w: [1, 1, 6, 1], strides: 1, pad: 'same' },
  {
    name: '7x7 same, 6->8 (encoder stem)',
    x: [2, 11, 10, 6],
    w: [7, 7, 6, 8],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3 same, 8->3 (RGB output)',
    x: [1, 12, 12, 8],
    w: [3, 3, 8, 3],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3 same, 64->64 at 4x4 (deep stage)',
    x: [2, 4, 4, 64],
    w: [3, 3, 64, 64],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3 same, 4->12 at 24x24 (split-K filter gradient)',
    x: [4, 24, 24, 4],
    w: [3, 3, 4, 12],
    strides: 1,
    pad: 'same',
  },
  { name: 'stride 2 same, even 8x8', x: [2, 8, 8, 4], w: [3, 3, 4, 8], strides: 2, pad: 'same' },
  { name: 'stride 2 same, odd 7x7', x: [3, 7, 7, 3], w: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: 'stride 2 valid, odd 9x9', x: [1, 9, 9, 8], w: [3, 3, 8, 8], strides: 2, pad: 'valid' },
  { name: 'stride 2 1x1 same', x: [1, 7, 7, 2], w: [1, 1, 2, 3], strides: 2, pad: 'same' },
  {
    // A [1,2,1] blur-pool written as conv2d with the channels folded into the batch.
    name: 'blur as conv2d, 1->1 channel, stride 2 same, odd 9x9',
    x: [6, 9, 9, 1],
    w: [3, 3, 1, 1],
    strides: 2,
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
    name: 'explicit pad wider than the filter',
    x: [1, 5, 5, 4],
    w: [3, 3, 4, 4],
    strides: 1,
    pad: [
      [0, 0],
      [3, 3],
      [0, 4],
      [0, 0],
    ],
  },
];

const CONV_KERNELS = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function outShape(c: Case): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.w, c.strides, c.dilations ?? 1, c.pad);
  return [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

/** The three kernels called directly (y, dx, dW), as training calls them. */
function convKernels(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array) {
  return () => {
    const [xt, wt, dyt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, c.w), tf.tensor4d(dy, outShape(c))];
    const attrs = {
      strides: c.strides,
      pad: c.pad,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    };
    const y = tf.conv2d(xt, wt, c.strides, c.pad);
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: dyt, filter: wt }, {
      ...attrs,
      inputShape: c.x,
    } as never) as tf.Tensor;
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, {
      ...attrs,
      filterShape: c.w,
    } as never) as tf.Tensor;
    tf.dispose([xt, wt, dyt]);
    return [y, dx, dw];
  };
}

describe('@th WGSL convolution kernels equal the cpu backend', () => {
  it('are the active webgpu kernels after init', async () => {
    const report = await init({ backend: 'webgpu' });
    // init also reports the runtime's settings and the fused kernels; of @th's replacements of
    // tfjs-webgpu kernels, the four GEMM kernels and the two reductions are registered and active.
    expect(report.addedKernels.filter(isWebGpuKernel)).toEqual([
      'Conv2D',
      'Conv2DBackpropInput',
      'Conv2DBackpropFilter',
      'BatchMatMul',
      'Sum',
      'Mean',
    ]);
  });

  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const rng = createRng(300 + index);
      const x = rng.normalArray(size(c.x));
      const w = rng.normalArray(size(c.w), 0.3);
      const dy = rng.normalArray(size(outShape(c)));
      const run = convKernels(c, x, w, dy);
      const cpu = await outputsOn('cpu', run);
      // Every call ran @th's GEMM (none went to tfjs' kernel through the fallback).
      const { result: gpu, fallbackCalls } = await countingFallbacks(CONV_KERNELS, () =>
        outputsOn('webgpu', run),
      );
      expect(fallbackCalls).toBe(0);
      expect(gpu.shapes).toEqual(cpu.shapes);
      for (const [i, name] of ['y', 'dx', 'dw'].entries()) {
        const err = relativeMaxError(gpu.values[i]!, cpu.values[i]!);
        expect(err, `${name}: relative error ${err}`).toBeLessThan(1e-5);
        expect(maxAbs(cpu.values[i]!)).toBeGreaterThan(0.1);
      }
    });
  }

  it('the split-K case really splits the filter gradient', () => {
    const c = CASES.find((k) => k.name.includes('split-K'))!;
    const [n, h, w] = c.x;
    const plan = planGemm({ m: 9 * c.w[2], n: c.w[3], k: n * h * w, batch: 1 });
    expect(plan.splits).toBeGreaterThan(1);
  });

  it('dilated forward conv', async () => {
    const c: Case = { name: 'dilated', x: [2, 9, 8, 4], w: [3, 3, 4, 4], strides: 1, pad: 'same' };
    const rng = createRng(9);
    const x = rng.normalArray(size(c.x));
    const w = rng.normalArray(size(c.w));
    const run = () => {
      const [xt, wt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, c.w)];
      const y = tf.conv2d(xt, wt, 1, 'same', 'NHWC', 2);
      tf.dispose([xt, wt]);
      return [y];
    };
    const cpu = await outputsOn('cpu', run);
    const { result: gpu, fallbackCalls } = await countingFallbacks(CONV_KERNELS, () =>
      outputsOn('webgpu', run),
    );
    expect(fallbackCalls).toBe(0);
    expect(relativeMaxError(gpu.values[0]!, cpu.values[0]!)).toBeLessThan(1e-5);
  });

  it('second order: d/dw of ||d/dx conv-lrelu-conv||² (an R1 penalty) equals the cpu backend', async () => {
    const rng = createRng(21);
    const xs: Shape4 = [2, 6, 6, 4];
    const x = rng.normalArray(size(xs));
    const w1 = rng.normalArray(3 * 3 * 4 * 8, 0.4);
    const w2 = rng.normalArray(1 * 1 * 8 * 1, 0.4);
    const run = () => {
      const xt = tf.tensor4d(x, xs);
      const w1t = tf.tensor4d(w1, [3, 3, 4, 8]);
      const w2t = tf.tensor4d(w2, [1, 1, 8, 1]);
      const d = (inp: tf.Tensor4D, a: tf.Tensor4D, b: tf.Tensor4D) => {
        const h = tf.conv2d(inp, a, 1, 'same');
        const act = tf.maximum(h, tf.mul(h, 0.2)) as tf.Tensor4D;
        return tf.sum(tf.conv2d(act, b, 1, 'same'));
      };
      const r1 = (a: tf.Tensor, b: tf.Tensor) => {
        const gx = tf.grad((inp: tf.Tensor) =>
          d(inp as tf.Tensor4D, a as tf.Tensor4D, b as tf.Tensor4D),
        )(xt);
        return tf.sum(tf.square(gx));
      };
      const [g1, g2] = tf.grads(r1)([w1t, w2t]);
      tf.dispose([xt, w1t, w2t]);
      return [g1!, g2!];
    };
    const cpu = await outputsOn('cpu', run);
    const gpu = await outputsOn('webgpu', run);
    for (let i = 0; i < 2; i++) {
      expect(relativeMaxError(gpu.values[i]!, cpu.values[i]!)).toBeLessThan(1e-4);
      expect(maxAbs(cpu.values[i]!)).toBeGreaterThan(0.01);
    }
  });

  it('NCHW calls fall back to tfjs-webgpu and stay correct', async () => {
    const rng = createRng(5);
    const x = rng.normalArray(2 * 3 * 5 * 5);
    const w = rng.normalArray(3 * 3 * 3 * 4);
    const run = () => {
      const xt = tf.tensor4d(x, [2, 5, 5, 3]);
      const wt = tf.tensor4d(w, [3, 3, 3, 4]);
      // NHWC computed through NCHW: transpose in, conv NCHW, transpose out.
      const xn = tf.transpose(xt, [0, 3, 1, 2]);
      const yn = tf.conv2d(xn as tf.Tensor4D, wt, 1, 'same', 'NCHW');
      const y = tf.transpose(yn, [0, 2, 3, 1]) as tf.Tensor;
      tf.dispose([xt, wt, xn, yn]);
      return [y];
    };
    const reference = await outputsOn('cpu', () =>
      tf.tidy(() => [
        tf.conv2d(tf.tensor4d(x, [2, 5, 5, 3]), tf.tensor4d(w, [3, 3, 3, 4]), 1, 'same'),
      ]),
    );
    const { result: gpu, fallbackCalls } = await countingFallbacks(CONV_KERNELS, () =>
      outputsOn('webgpu', run),
    );
    expect(fallbackCalls).toBe(1);
    expect(relativeMaxError(gpu.values[0]!, reference.values[0]!)).toBeLessThan(1e-5);
  });
});
