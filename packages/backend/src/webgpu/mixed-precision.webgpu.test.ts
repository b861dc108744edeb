import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, setPrecision } from '../init';
import { roundToHalf } from '../io/half-float';
import { createRng } from '../util/rng';
import { countingFallbacks, maxAbs, outputsOn, relativeMaxError } from './kernel-check';
import { instanceNormFused } from './runtime/fused-ops';

/**
 * The f16 GEMM path (precision 'mixed') on WebGPU. Without a GPU this runs on lavapipe, which
 * offers `shader-f16` but no subgroup matrices: the tiled kernel with f16 workgroup tiles and f32
 * FMAs. Two independent references per output, both on the cpu backend: the same kernel on
 * operands rounded to f16 in JavaScript (`roundToHalf`), which the f16 path must equal up to
 * summation order, and the plain f32 result, which it must differ from by f16 rounding only.
 */

type Shape4 = [number, number, number, number];
const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

interface ConvCase {
  name: string;
  x: Shape4;
  w: Shape4;
  strides: number;
  pad: 'same' | 'valid';
}

/**
 * LSR's shapes in small: vec4 loads and stores, and the split-K weight gradient (scalar loads
 * and stores: gemm-matrix.webgpu.test.ts, the f32 kernels' tests).
 */
const CONV_CASES: ConvCase[] = [
  {
    name: '3x3 same 8->8 (vec4), batch 2',
    x: [2, 9, 9, 8],
    w: [3, 3, 8, 8],
    strides: 1,
    pad: 'same',
  },
  {
    name: '3x3 4->12 at 24x24 (split-K filter gradient)',
    x: [4, 24, 24, 4],
    w: [3, 3, 4, 12],
    strides: 1,
    pad: 'same',
  },
];

function dyShape(c: ConvCase): Shape4 {
  const i = tf.backend_util.computeConv2DInfo(c.x, c.w, c.strides, 1, c.pad);
  return [i.batchSize, i.outHeight, i.outWidth, i.outChannels];
}

/** y, dx and dW of one case, as training calls the three kernels. */
function convKernels(c: ConvCase, x: Float32Array, w: Float32Array, dy: Float32Array) {
  return () =>
    tf.tidy(() => {
      const [xt, wt, dyt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, c.w), tf.tensor4d(dy, dyShape(c))];
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
      };
      return [
        tf.conv2d(xt, wt, c.strides, c.pad),
        tf.engine().runKernel('Conv2DBackpropInput', { dy: dyt, filter: wt }, {
          ...attrs,
          inputShape: c.x,
        } as never) as tf.Tensor,
        tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, {
          ...attrs,
          filterShape: c.w,
        } as never) as tf.Tensor,
      ];
    });
}

/** The f16 path's output against the f16-rounded-operand reference and the f32 one. */
async function compare(
  name: string,
  run: (half: boolean) => () => tf.Tensor[],
  labels: string[],
): Promise<Array<{ vsHalf: number; vsF32: number }>> {
  const exactHalf = await outputsOn('cpu', run(true));
  const f32 = await outputsOn('cpu', run(false));
  await init({ backend: 'webgpu' });
  setPrecision('mixed');
  const { result: mixed, fallbackCalls } = await countingFallbacks(
    ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul'],
    () => outputsOn('webgpu', run(false)),
  );
  expect(fallbackCalls).toBe(0);
  return labels.map((label, i) => {
    const vsHalf = relativeMaxError(mixed.values[i]!, exactHalf.values[i]!);
    const vsF32 = relativeMaxError(mixed.values[i]!, f32.values[i]!);
    console.log(
      `${name} ${label}: vs f16-operand reference ${vsHalf.toExponential(2)}, vs f32 ${vsF32.toExponential(2)}`,
    );
    expect(maxAbs(f32.values[i]!)).toBeGreaterThan(0.1);
    return { vsHalf, vsF32 };
  });
}

describe('mixed precision: f16 GEMM kernels on WebGPU', () => {
  beforeAll(async () => {
    const report = await init({ backend: 'webgpu', precision: 'mixed' });
    console.log(`precision: ${report.precision.gemm} (${report.precision.reason})`);
  });
  afterAll(() => {
    setPrecision('f32');
  });

  it('init with precision mixed selects an f16 GEMM path on an adapter with shader-f16', async () => {
    const report = await init({ backend: 'webgpu' });
    expect(['f16', 'f16-subgroup-matrix']).toContain(report.precision.gemm);
    expect(report.precision.requested).toBe('mixed');
    expect(setPrecision('f32').gemm).toBe('f32');
    expect(setPrecision('mixed').gemm).toBe(report.precision.gemm);
  });

  for (const [index, c] of CONV_CASES.entries()) {
    it(`convolution ${c.name}: y, dx, dW`, async () => {
      const rng = createRng(700 + index);
      const x = rng.normalArray(size(c.x));
      const w = rng.normalArray(size(c.w), 0.3);
      const dy = rng.normalArray(size(dyShape(c)));
      const errors = await compare(
        c.name,
        (half) =>
          half
            ? convKernels(c, roundToHalf(x), roundToHalf(w), roundToHalf(dy))
            : convKernels(c, x, w, dy),
        ['y', 'dx', 'dW'],
      );
      for (const e of errors) {
        expect(e.vsHalf).toBeLessThan(1e-5);
        // f16 rounding happened (the f32 result differs) and is all that differs.
        expect(e.vsF32).toBeGreaterThan(3e-5);
        expect(e.vsF32).toBeLessThan(3e-3);
      }
    });
  }

  it('matmul (dense layers and their gradients): plain and transposed operands', async () => {
    const rng = createRng(750);
    const a = rng.normalArray(4 * 40);
    const b = rng.normalArray(40 * 24, 0.3);
    const run = (half: boolean) => () =>
      tf.tidy(() => {
        const [at, bt] = [
          tf.tensor2d(half ? roundToHalf(a) : a, [4, 40]),
          tf.tensor2d(half ? roundToHalf(b) : b, [40, 24]),
        ];
        const [aT, bT] = [tf.transpose(at), tf.transpose(bt)];
        return [tf.matMul(at, bt), tf.matMul(at, bT, false, true), tf.matMul(aT, bt, true, false)];
      });
    const errors = await compare('matmul', run, ['a·b', 'a·(bᵀ)ᵀ', '(aᵀ)ᵀ·b']);
    for (const e of errors) {
      expect(e.vsHalf).toBeLessThan(1e-5);
      expect(e.vsF32).toBeGreaterThan(3e-5);
      expect(e.vsF32).toBeLessThan(3e-3);
    }
  });

  it('splitWeights: Conv2D and BatchMatMul round only the activations (the weights stay exact)', async () => {
    const c = CONV_CASES[0]!;
    const rng = createRng(780);
    const x = rng.normalArray(size(c.x));
    const w = rng.normalArray(size(c.w), 0.3);
    const dense = rng.normalArray(size(c.x.slice(1)) * 6, 0.1);
    const run = (half: boolean) => () =>
      tf.tidy(() => {
        const xt = tf.tensor4d(half ? roundToHalf(x) : x, c.x);
        const y = tf.conv2d(xt, tf.tensor4d(w, c.w), c.strides, c.pad);
        const flat = tf.reshape(xt, [c.x[0], -1]);
        return [y, tf.matMul(flat, tf.tensor2d(dense, [flat.shape[1]!, 6]))];
      });
    const reference = await outputsOn('cpu', run(true));
    const f32 = await outputsOn('cpu', run(false));
    await init({ backend: 'webgpu' });
    expect(setPrecision('mixed', { splitWeights: true }).splitWeights).toBe(true);
    const gpu = await outputsOn('webgpu', run(false));
    setPrecision('mixed');
    for (const [i, v] of gpu.values.entries()) {
      const vsReference = relativeMaxError(v, reference.values[i]!);
      const vsF32 = relativeMaxError(v, f32.values[i]!);
      console.log(
        `split weights, output ${i}: vs activation-rounded reference ${vsReference.toExponential(2)}, vs f32 ${vsF32.toExponential(2)}`,
      );
      expect(vsReference).toBeLessThan(1e-5);
      expect(vsF32).toBeGreaterThan(1e-5);
    }
  });

  it('an operand beyond f16 range (|x| > 65504) makes the result non-finite (the overflow the finite check sees)', async () => {
    const c = CONV_CASES[0]!;
    const rng = createRng(760);
    const x = rng.normalArray(size(c.x));
    const w = rng.normalArray(size(c.w), 0.3);
    const dy = rng.normalArray(size(dyShape(c)));
    dy[5] = 7e4; // a scaled gradient that overflows f16
    const finite = (v: Float32Array) => v.every(Number.isFinite);
    await init({ backend: 'webgpu' });
    setPrecision('mixed');
    const mixed = await outputsOn('webgpu', convKernels(c, x, w, dy));
    const f32 = await outputsOn('cpu', convKernels(c, x, w, dy));
    // y does not read dy; dx and dW do, and are finite in f32.
    expect(mixed.values.map(finite)).toEqual([true, false, false]);
    expect(f32.values.map(finite)).toEqual([true, true, true]);
  });

  it('everything but the GEMMs is f32: reductions, softmax, instance norm and an R1-style sum of squares are bit-identical under mixed', async () => {
    const rng = createRng(770);
    // Values whose f16 rounding would show: 1 + small offsets (f16 spacing at 1 is 2^-10).
    const v = Float32Array.from(rng.normalArray(2 * 6 * 6 * 8), (e) => 1 + 1e-4 * e);
    const dense = rng.normalArray(40 * 24);
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(v, [2, 6, 6, 8]);
        const { mean, variance } = tf.moments(x, [1, 2], true);
        const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
        const m = tf.reshape(tf.slice(x, [0, 0, 0, 0], [1, 5, 4, 8]), [4, 40]);
        const fused = instanceNormFused(x, 1e-5);
        if (!fused) throw new Error('the fused instance norm is not active on webgpu');
        return [
          fused,
          tf.sum(x),
          tf.mean(x, [1, 2]),
          tf.softmax(tf.reshape(x, [72, 8])),
          normed,
          tf.sum(tf.square(tf.sub(x, 1))),
          tf.matMul(m, tf.tensor2d(dense, [40, 24])), // a GEMM: must differ
        ];
      });
    await init({ backend: 'webgpu' });
    setPrecision('mixed');
    const mixed = await outputsOn('webgpu', run);
    setPrecision('f32');
    const f32 = await outputsOn('webgpu', run);
    for (let i = 0; i < 6; i++)
      expect(Array.from(mixed.values[i]!)).toEqual(Array.from(f32.values[i]!));
    expect(relativeMaxError(mixed.values[6]!, f32.values[6]!)).toBeGreaterThan(1e-5);
  });
});
