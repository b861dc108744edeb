import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { init } from '../init';
import { createRng } from '../util/rng';
import { naiveConvGrads, relativeMaxError } from './naive-conv-grads';
import { scaledConv2dFused } from './scaled-conv2d';
import { kernelRuntimeOf } from './simd/kernel-runtime';
import { winogradApplies, winogradConv3x3 } from './simd/winograd-driver';
import { winogradFilterGrad3x3 } from './simd/winograd-filter-grad';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Bound on max|error| / max|reference| of a Winograd F(2×2, 3×3) conv in f32 against a float64
 * reference (measured ≈ 3e-7 at Ci = 32–44; the direct kernel ≈ 7e-7).
 */
const winogradTolerance = (ci: number) => 2e-7 * Math.sqrt(9 * ci);

/**
 * The same for the filter gradient, whose sums run over the R = N·OH·OW output pixels instead of
 * the 9·Ci taps: the round-off of a length-R f32 sum of random-sign terms grows like 2⁻²⁴·√R
 * (6e-8·√R), and the factor ≈ 3 over that covers the transforms' few additions per term, as in
 * the forward bound. Measured at R = 286–304: Winograd 3.5–4.2e-7, the direct kernel 5.5–7e-7,
 * against bounds of 3.4–3.6e-6.
 */
const filterGradTolerance = (pixels: number) => 2e-7 * Math.sqrt(pixels);

interface Case {
  name: string;
  x: Shape4;
  w: Shape4;
  pad: Pad;
  /** Padding the naive reference uses (top, left) for `pad`. */
  topLeft: [number, number];
}

const CASES: Case[] = [
  {
    name: "odd 13×11 'same', batch 2, 64 → 68 channels (one 4-channel block past 64)",
    x: [2, 13, 11, 64],
    w: [3, 3, 64, 68],
    pad: 'same',
    topLeft: [1, 1],
  },
  {
    name: "'valid' on 21×18 (odd output 19×16), 68 → 64",
    x: [1, 21, 18, 68],
    w: [3, 3, 68, 64],
    pad: 'valid',
    topLeft: [0, 0],
  },
  {
    name: 'explicit asymmetric padding, 72 → 64',
    x: [1, 17, 20, 72],
    w: [3, 3, 72, 64],
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
    topLeft: [2, 0],
  },
];

/**
 * Winograd F(2×2, 3×3) on wasm (Conv2D and Conv2DBackpropInput): against a float64 reference
 * by the defining sums, and against the direct kernel (the runtime's `winograd` switch off).
 */
export function winogradSuite(threads: number): void {
  describe(`Winograd F(2×2, 3×3) convolutions on wasm, ${threads} thread(s)`, () => {
    for (const [index, c] of CASES.entries()) {
      it(c.name, async () => {
        await init({ backend: 'wasm', wasmThreads: threads });
        const runtime = kernelRuntimeOf(tf.backend())!;
        const rng = createRng(900 + index);
        const x = new Float32Array(rng.normalArray(size(c.x)));
        const w = new Float32Array(rng.normalArray(size(c.w), 0.2));
        const [xt, wt] = [tf.tensor4d(x, c.x), tf.tensor4d(w, c.w)];
        const yShape = tf.conv2d(xt, wt, 1, c.pad).shape as Shape4;
        const dy = new Float32Array(rng.normalArray(size(yShape)));
        const dyt = tf.tensor4d(dy, yShape);
        const [, , ci, co] = c.w;
        const [n, h, wd] = c.x;
        // The shapes take the Winograd path all three ways (forward and filter gradient Ci → Co
        // over the output pixels, input gradient Co → Ci over the input pixels).
        expect(winogradApplies(3, 3, ci, co, n * yShape[1] * yShape[2])).toBe(true);
        expect(winogradApplies(3, 3, co, ci, n * h * wd)).toBe(true);
        const run = async (winograd: boolean) => {
          runtime.winograd = winograd;
          try {
            const y = tf.conv2d(xt, wt, 1, c.pad);
            const dx = tf.conv2dTranspose(dyt, wt, c.x, 1, c.pad);
            const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, {
              strides: 1,
              pad: c.pad,
              dataFormat: 'NHWC',
              dilations: 1,
              filterShape: c.w,
            } as never) as tf.Tensor;
            const out = { y: await y.data(), dx: await dx.data(), dw: await dw.data() };
            tf.dispose([y, dx, dw]);
            return out;
          } finally {
            runtime.winograd = true;
          }
        };
        const wino = await run(true);
        const direct = await run(false);
        tf.dispose([xt, wt, dyt]);
        // References in float64: dx from the gradient sums, y from the conv's defining sum.
        const g = {
          x: c.x,
          w: c.w,
          dy: yShape,
          strides: [1, 1] as [number, number],
          dilations: [1, 1] as [number, number],
          top: c.topLeft[0],
          left: c.topLeft[1],
        };
        const ref = naiveConvGrads(g, x, w, dy);
        const yRef = naiveForward(g, x, w);
        const tol = winogradTolerance(Math.max(ci, co));
        expect(relativeMaxError(wino.y, yRef)).toBeLessThan(tol);
        expect(relativeMaxError(wino.dx, ref.dx)).toBeLessThan(tol);
        expect(relativeMaxError(direct.y, yRef)).toBeLessThan(tol);
        expect(relativeMaxError(direct.dx, ref.dx)).toBeLessThan(tol);
        const dwTol = filterGradTolerance(n * yShape[1] * yShape[2]);
        expect(relativeMaxError(wino.dw, ref.dw)).toBeLessThan(dwTol);
        expect(relativeMaxError(direct.dw, ref.dw)).toBeLessThan(dwTol);
        // The two paths really differ in arithmetic (Winograd ran, not the direct kernel).
        expect(wino.y.some((v, i) => v !== direct.y[i])).toBe(true);
        expect(wino.dx.some((v, i) => v !== direct.dx[i])).toBe(true);
        expect(wino.dw.some((v, i) => v !== direct.dw[i])).toBe(true);
      });
    }

    it('second order through Winograd (R1-style nested gradients) equals the direct kernel', async () => {
      await init({ backend: 'wasm', wasmThreads: threads });
      const runtime = kernelRuntimeOf(tf.backend())!;
      const rng = createRng(950);
      const xs: Shape4 = [2, 13, 11, 64];
      const ws: Shape4 = [3, 3, 64, 64];
      const [xt, wt] = [
        tf.tensor4d(rng.normalArray(size(xs)), xs),
        tf.tensor4d(rng.normalArray(size(ws), 0.1), ws),
      ];
      const rt = tf.tensor4d(rng.normalArray(size(xs)), xs);
      expect(winogradApplies(3, 3, 64, 64, 2 * 13 * 11)).toBe(true);
      // Penalty P(w) = Σ (∂/∂x Σ conv(x, w)·r)²: the inner gradient is Conv2DBackpropInput, and
      // dP/dw differentiates it again (Conv2D and Conv2DBackpropFilter, both on the Winograd
      // path at this shape: 2·286·9·64·64 ≥ 2e7 FLOPs).
      const penaltyGrad = async (winograd: boolean) => {
        runtime.winograd = winograd;
        try {
          const dw = tf.grad((w: tf.Tensor) => {
            const dx = tf.grad((a: tf.Tensor) =>
              tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), rt)),
            )(xt);
            return tf.sum(tf.square(dx));
          })(wt);
          const out = await dw.data();
          dw.dispose();
          return out;
        } finally {
          runtime.winograd = true;
        }
      };
      const wino = await penaltyGrad(true);
      const direct = await penaltyGrad(false);
      tf.dispose([xt, wt, rt]);
      expect(relativeMaxError(wino, direct)).toBeLessThan(2 * winogradTolerance(64));
      expect(wino.some((v, i) => v !== direct[i])).toBe(true);
    });

    it('runs large jobs in passes of tile rows (5 passes, the last one short)', async () => {
      await init({ backend: 'wasm', wasmThreads: threads });
      const runtime = kernelRuntimeOf(tf.backend())!;
      const rng = createRng(960);
      const xs: Shape4 = [2, 13, 11, 64];
      const ws: Shape4 = [3, 3, 64, 68];
      const [xt, wt] = [
        tf.tensor4d(rng.normalArray(size(xs)), xs),
        tf.tensor4d(rng.normalArray(size(ws), 0.2), ws),
      ];
      runtime.winograd = false;
      const direct = tf.conv2d(xt, wt, 1, 'same');
      runtime.winograd = true;
      const y = tf.zeros(direct.shape);
      // 2 images × 7 tile rows of 6 tiles; scratch for 3 rows per pass.
      const rowBytes = 16 * 6 * (64 + 68) * 4;
      const pads = { top: 1, bottom: 1, left: 1, right: 1 };
      const [at, wAt, yAt] = [runtime.address(xt), runtime.address(wt), runtime.address(y)];
      winogradConv3x3(runtime, at, xs, wAt, 'forward', 68, pads, yAt, undefined, 3 * rowBytes);
      expect(relativeMaxError(await y.data(), await direct.data())).toBeLessThan(
        2 * winogradTolerance(64),
      );
      tf.dispose([xt, wt, direct, y]);
    });

    it('runs the filter gradient in passes of tile rows and in chunks of tiles (odd output, 64 → 68)', async () => {
      await init({ backend: 'wasm', wasmThreads: threads });
      const runtime = kernelRuntimeOf(tf.backend())!;
      const rng = createRng(970);
      const xs: Shape4 = [1, 33, 35, 64];
      const ws: Shape4 = [3, 3, 64, 68];
      const ys: Shape4 = [1, 33, 35, 68];
      const x = new Float32Array(rng.normalArray(size(xs)));
      const dy = new Float32Array(rng.normalArray(size(ys)));
      const [xt, dyt] = [tf.tensor4d(x, xs), tf.tensor4d(dy, ys)];
      const g = {
        x: xs,
        w: ws,
        dy: ys,
        strides: [1, 1] as [number, number],
        dilations: [1, 1] as [number, number],
        top: 1,
        left: 1,
      };
      const ref = naiveConvGrads(g, x, new Float32Array(size(ws)), dy).dw;
      const pads = { top: 1, bottom: 1, left: 1, right: 1 };
      // 17 tile rows of 18 tiles: one pass of 306 tiles (the products' k loop in two chunks,
      // 256 + 50), then passes of 4 rows (5 passes, the last one a single row; Co padded to 72).
      const rowBytes = 16 * 18 * (64 + 72) * 4;
      for (const scratch of [undefined, 4 * rowBytes]) {
        const dw = tf.zeros(ws);
        const [xAt, dyAt, dwAt] = [runtime.address(xt), runtime.address(dyt), runtime.address(dw)];
        winogradFilterGrad3x3(runtime, xAt, xs, dyAt, 68, pads, dwAt, scratch);
        expect(relativeMaxError(await dw.data(), ref)).toBeLessThan(filterGradTolerance(33 * 35));
        dw.dispose();
      }
      tf.dispose([xt, dyt]);
    });

    it('runs the fused equalized-lr conv (ThScaledConv2D: scale·w, + bias) by Winograd', async () => {
      await init({ backend: 'wasm', wasmThreads: threads });
      const runtime = kernelRuntimeOf(tf.backend())!;
      const rng = createRng(980);
      const xs: Shape4 = [2, 13, 11, 64];
      const ws: Shape4 = [3, 3, 64, 68];
      const x = new Float32Array(rng.normalArray(size(xs)));
      const w = new Float32Array(rng.normalArray(size(ws)));
      const b = new Float32Array(rng.normalArray(68));
      const [xt, wt, bt] = [tf.tensor4d(x, xs), tf.tensor4d(w, ws), tf.tensor1d(b)];
      expect(winogradApplies(3, 3, 64, 68, 2 * 13 * 11)).toBe(true);
      const scale = 0.042;
      const g = {
        x: xs,
        w: ws,
        dy: [2, 13, 11, 68] as Shape4,
        strides: [1, 1] as [number, number],
        dilations: [1, 1] as [number, number],
        top: 1,
        left: 1,
      };
      const conv = naiveForward(g, x, w);
      for (const withBias of [true, false]) {
        const ref = conv.map((v, i) => scale * v + (withBias ? b[i % 68]! : 0));
        const run = async (winograd: boolean) => {
          runtime.winograd = winograd;
          try {
            const y = scaledConv2dFused(xt, wt, scale, withBias ? bt : null)!;
            const out = await y.data();
            y.dispose();
            return out;
          } finally {
            runtime.winograd = true;
          }
        };
        const [wino, direct] = [await run(true), await run(false)];
        expect(relativeMaxError(wino, ref)).toBeLessThan(winogradTolerance(64));
        expect(relativeMaxError(direct, ref)).toBeLessThan(winogradTolerance(64));
        expect(wino.some((v, i) => v !== direct[i])).toBe(true);
      }
      tf.dispose([xt, wt, bt]);
    });

    it('leaves small or odd channel counts and other filters to the direct kernel', () => {
      expect(winogradApplies(3, 3, 16, 16, 64 * 64)).toBe(false);
      expect(winogradApplies(3, 3, 16, 64, 64 * 64)).toBe(false);
      expect(winogradApplies(3, 3, 32, 32, 64 * 64)).toBe(true);
      expect(winogradApplies(3, 3, 30, 64, 64 * 64)).toBe(false);
      expect(winogradApplies(3, 3, 64, 66, 64 * 64)).toBe(false);
      expect(winogradApplies(1, 1, 64, 64, 64 * 64)).toBe(false);
      expect(winogradApplies(3, 3, 64, 64, 4)).toBe(false);
      expect(winogradApplies(3, 3, 64, 64, 64 * 64)).toBe(true);
    });
  });
}

/** y[n,i,j,o] = Σ x[n, i + a − top, j + b − left, c]·w[a,b,c,o] in float64 (stride 1). */
function naiveForward(
  g: { x: Shape4; w: Shape4; dy: Shape4; top: number; left: number },
  x: Float32Array,
  w: Float32Array,
): Float64Array {
  const [n, h, wd, ci] = g.x;
  const [kh, kw, , co] = g.w;
  const [, oh, ow] = g.dy;
  const y = new Float64Array(n * oh * ow * co);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const out = ((b * oh + i) * ow + j) * co;
        for (let a = 0; a < kh; a++) {
          const r = i + a - g.top;
          if (r < 0 || r >= h) continue;
          for (let s = 0; s < kw; s++) {
            const q = j + s - g.left;
            if (q < 0 || q >= wd) continue;
            for (let p = 0; p < ci; p++) {
              const xv = x[((b * h + r) * wd + q) * ci + p]!;
              const wi = ((a * kw + s) * ci + p) * co;
              for (let o = 0; o < co; o++) y[out + o]! += xv * w[wi + o]!;
            }
          }
        }
      }
    }
  }
  return y;
}
