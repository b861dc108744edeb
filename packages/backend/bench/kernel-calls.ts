import * as tf from '@tensorflow/tfjs-core';
import type { ConvAttrs } from '../src/webgpu/conv-geometry';

/**
 * One call of a convolution or matmul kernel, as recorded during a training step
 * (record-kernel-calls.ts) and replayed by the kernel bench (webgpu-kernels.ts): the kernel, the
 * shapes of what it reads, its attributes, and how often a step makes it.
 */
export type KernelCall =
  | {
      kernel: 'Conv2D' | 'Conv2DBackpropInput' | 'Conv2DBackpropFilter';
      /** Forward geometry: input, filter and output (dy) shapes. */
      x: number[];
      filter: number[];
      dy: number[];
      attrs: ConvAttrs;
      count: number;
    }
  | {
      kernel: 'BatchMatMul';
      a: number[];
      b: number[];
      transposeA: boolean;
      transposeB: boolean;
      count: number;
    };

/** Median GPU time (tf.time's kernelMs) of `run` over `reps` runs, each output freed. */
export async function medianKernelMs(run: () => tf.Tensor, reps: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    let out: tf.Tensor | null = null;
    const info = await tf.time(() => {
      out = run();
    });
    (out as tf.Tensor | null)?.dispose();
    times.push(info.kernelMs as number);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Forward and both gradients of a 3×3, stride-1, 'same' convolution of x (NHWC) to cOut channels. */
export function sameConv3x3Calls(x: number[], cOut: number): KernelCall[] {
  const [n, h, w, cIn] = x as [number, number, number, number];
  return (['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'] as const).map((kernel) => ({
    kernel,
    x,
    filter: [3, 3, cIn, cOut],
    dy: [n, h, w, cOut],
    attrs: { strides: 1, pad: 'same' as const },
    count: 1,
  }));
}

/** One [m, k]·[k, n] matmul call (a dense layer on m rows). */
export const matMulCall = (m: number, k: number, n: number): KernelCall => ({
  kernel: 'BatchMatMul',
  a: [m, k],
  b: [k, n],
  transposeA: false,
  transposeB: false,
  count: 1,
});

export const callKey = (c: KernelCall): string => {
  const { count: _, ...rest } = c;
  return JSON.stringify(rest);
};

const product = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** 2·multiply-adds of one call (each conv gradient costs as much as the forward conv). */
export function callFlops(c: KernelCall): number {
  if (c.kernel === 'BatchMatMul') {
    const ra = c.a.length;
    const m = c.transposeA ? c.a[ra - 1]! : c.a[ra - 2]!;
    const k = c.transposeA ? c.a[ra - 2]! : c.a[ra - 1]!;
    const n = c.transposeB ? c.b[c.b.length - 2]! : c.b[c.b.length - 1]!;
    const batch = Math.max(product(c.a.slice(0, -2)), product(c.b.slice(0, -2)));
    return 2 * batch * m * n * k;
  }
  const [kh, kw, cin] = c.filter;
  return 2 * product(c.dy) * kh! * kw! * cin!;
}

export function callLabel(c: KernelCall): string {
  if (c.kernel === 'BatchMatMul') {
    return `MatMul [${c.a}]${c.transposeA ? 'ᵀ' : ''}·[${c.b}]${c.transposeB ? 'ᵀ' : ''}`;
  }
  const s = Array.isArray(c.attrs.strides) ? c.attrs.strides[0] : c.attrs.strides;
  const pad = typeof c.attrs.pad === 'string' ? c.attrs.pad : 'explicit';
  const [kh, kw, cin, cout] = c.filter;
  return `${c.kernel} x[${c.x}] ${kh}x${kw} ${cin}->${cout} s${s} ${pad}`;
}

/** The input tensors of a call (random) and a function running the kernel on them. */
export interface PreparedCall {
  inputs: Record<string, { values: Float32Array; shape: number[] }>;
  run: (t: Record<string, tf.Tensor>) => tf.Tensor;
}

export function prepareCall(c: KernelCall, normal: (n: number) => Float32Array): PreparedCall {
  const input = (shape: number[]) => ({ values: normal(product(shape)), shape });
  if (c.kernel === 'BatchMatMul') {
    return {
      inputs: { a: input(c.a), b: input(c.b) },
      run: (t) => tf.matMul(t.a!, t.b!, c.transposeA, c.transposeB),
    };
  }
  const kernel = (name: string, inputs: Record<string, tf.Tensor>, extra: object) =>
    tf.engine().runKernel(name, inputs, {
      dilations: 1,
      ...c.attrs,
      dataFormat: 'NHWC',
      ...extra,
    } as never) as tf.Tensor;
  switch (c.kernel) {
    case 'Conv2D':
      return {
        inputs: { x: input(c.x), filter: input(c.filter) },
        run: (t) => kernel('Conv2D', { x: t.x!, filter: t.filter! }, {}),
      };
    case 'Conv2DBackpropInput':
      return {
        inputs: { dy: input(c.dy), filter: input(c.filter) },
        run: (t) =>
          kernel('Conv2DBackpropInput', { dy: t.dy!, filter: t.filter! }, { inputShape: c.x }),
      };
    case 'Conv2DBackpropFilter':
      return {
        inputs: { x: input(c.x), dy: input(c.dy) },
        run: (t) =>
          kernel('Conv2DBackpropFilter', { x: t.x!, dy: t.dy! }, { filterShape: c.filter }),
      };
  }
}

/**
 * The exact (float64) value of output element `index` of a call, by its defining sum: an
 * independent reference for sampled checks of large outputs.
 */
export function exactOutput(c: KernelCall, inputs: PreparedCall['inputs'], index: number): number {
  if (c.kernel === 'BatchMatMul') return exactMatMul(c, inputs, index);
  const info = tf.backend_util.computeConv2DInfo(
    c.x as [number, number, number, number],
    c.filter as [number, number, number, number],
    c.attrs.strides,
    c.attrs.dilations ?? 1,
    c.attrs.pad,
    c.attrs.dimRoundingMode,
  );
  const { inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = info;
  const { outChannels: CO, filterHeight: KH, filterWidth: KW } = info;
  const [sh, sw, dh, dw] = [
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
  ];
  const [top, left] = [info.padInfo.top, info.padInfo.left];
  const xAt = (v: Float32Array, n: number, h: number, w: number, ci: number) =>
    v[((n * H + h) * W + w) * CI + ci]!;
  const dyAt = (v: Float32Array, n: number, h: number, w: number, co: number) =>
    v[((n * OH + h) * OW + w) * CO + co]!;
  const fAt = (v: Float32Array, a: number, b: number, ci: number, co: number) =>
    v[((a * KW + b) * CI + ci) * CO + co]!;
  let sum = 0;
  if (c.kernel === 'Conv2D') {
    const [x, f] = [inputs.x!.values, inputs.filter!.values];
    const co = index % CO;
    const ow = Math.floor(index / CO) % OW;
    const oh = Math.floor(index / (CO * OW)) % OH;
    const n = Math.floor(index / (CO * OW * OH));
    for (let a = 0; a < KH; a++) {
      const h = oh * sh - top + a * dh;
      if (h < 0 || h >= H) continue;
      for (let b = 0; b < KW; b++) {
        const w = ow * sw - left + b * dw;
        if (w < 0 || w >= W) continue;
        for (let ci = 0; ci < CI; ci++) sum += xAt(x, n, h, w, ci) * fAt(f, a, b, ci, co);
      }
    }
  } else if (c.kernel === 'Conv2DBackpropInput') {
    const [dy, f] = [inputs.dy!.values, inputs.filter!.values];
    const ci = index % CI;
    const iw = Math.floor(index / CI) % W;
    const ih = Math.floor(index / (CI * W)) % H;
    const n = Math.floor(index / (CI * W * H));
    for (let a = 0; a < KH; a++) {
      const th = ih + top - a * dh;
      if (th < 0 || th % sh !== 0 || th / sh >= OH) continue;
      for (let b = 0; b < KW; b++) {
        const tw = iw + left - b * dw;
        if (tw < 0 || tw % sw !== 0 || tw / sw >= OW) continue;
        for (let co = 0; co < CO; co++)
          sum += dyAt(dy, n, th / sh, tw / sw, co) * fAt(f, a, b, ci, co);
      }
    }
  } else {
    const [x, dy] = [inputs.x!.values, inputs.dy!.values];
    const co = index % CO;
    const ci = Math.floor(index / CO) % CI;
    const b = Math.floor(index / (CO * CI)) % KW;
    const a = Math.floor(index / (CO * CI * KW));
    for (let n = 0; n < info.batchSize; n++) {
      for (let oh = 0; oh < OH; oh++) {
        const h = oh * sh - top + a * dh;
        if (h < 0 || h >= H) continue;
        for (let ow = 0; ow < OW; ow++) {
          const w = ow * sw - left + b * dw;
          if (w < 0 || w >= W) continue;
          sum += xAt(x, n, h, w, ci) * dyAt(dy, n, oh, ow, co);
        }
      }
    }
  }
  return sum;
}

function exactMatMul(
  c: Extract<KernelCall, { kernel: 'BatchMatMul' }>,
  inputs: PreparedCall['inputs'],
  index: number,
): number {
  const [a, b] = [inputs.a!.values, inputs.b!.values];
  const ra = c.a.length;
  const rb = c.b.length;
  const m = c.transposeA ? c.a[ra - 1]! : c.a[ra - 2]!;
  const k = c.transposeA ? c.a[ra - 2]! : c.a[ra - 1]!;
  const n = c.transposeB ? c.b[rb - 2]! : c.b[rb - 1]!;
  const batchA = product(c.a.slice(0, -2));
  const batchB = product(c.b.slice(0, -2));
  const j = index % n;
  const i = Math.floor(index / n) % m;
  const z = Math.floor(index / (n * m));
  const baseA = (batchA === 1 ? 0 : z) * m * k;
  const baseB = (batchB === 1 ? 0 : z) * k * n;
  let sum = 0;
  for (let q = 0; q < k; q++) {
    const av = a[baseA + (c.transposeA ? q * m + i : i * k + q)]!;
    const bv = b[baseB + (c.transposeB ? j * k + q : q * n + j)]!;
    sum += av * bv;
  }
  return sum;
}

/** The calls worth timing: per kernel, the `top` with the most FLOP per step. */
export function selectCalls(calls: KernelCall[], top: number): KernelCall[] {
  const byKernel = new Map<string, KernelCall[]>();
  for (const c of calls) byKernel.set(c.kernel, [...(byKernel.get(c.kernel) ?? []), c]);
  return [...byKernel.values()].flatMap((list) =>
    list.sort((a, b) => callFlops(b) * b.count - callFlops(a) * a.count).slice(0, top),
  );
}
