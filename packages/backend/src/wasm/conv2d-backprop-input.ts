import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrs, forwardConvInfo } from './conv-geometry';
import { KernelScope } from './kernel-scope';
import { convForward } from './simd/conv-driver';
import { flippedFilterPanels } from './simd/flipped-filter';
import { kernelRuntimeOf } from './simd/kernel-runtime';
import { strideOnePads } from './simd/stride-one';
import { winogradApplies, winogradConv3x3 } from './simd/winograd-driver';
import { transposedSource } from './transposed-source';

interface BackpropInputAttrs extends ConvAttrs {
  inputShape: [number, number, number, number];
}

/**
 * Conv2DBackpropInput for the wasm backend, replacing the built-in one (a direct loop, about
 * 10× slower than the XNNPACK forward conv).
 *
 * At stride 1 and dilation 1 (every conv in LSR) it runs @th's SIMD forward kernel
 * (`convForward`, all threads) on dy padded by (kh − 1 − top, ...) with the flipped,
 * channel-swapped filter of `flippedFilter`. Otherwise, as follows:
 *
 * The input gradient of y = conv2d(x, w) is
 *   dx[n,i,j,ci] = Σ dy[n,oh,ow,co] · w[kh,kw,ci,co]  over  i = oh·sh + kh·dh − top (same for j).
 * which `transposedSource` turns into a stride-1 correlation of the zero-dilated dy with the
 * filter flipped in both spatial axes and its channel axes swapped
 * (w'[a,b,co,ci] = w[KH−1−a, KW−1−b, ci, co]): one forward Conv2D call, i.e. XNNPACK. For
 * stride > 1 most of its products meet inserted zeros (3/4 at stride 2); it still beats the
 * built-in kernel.
 */
export function conv2dBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: KernelBackend;
  attrs: BackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    throw new Error(
      `Conv2DBackpropInput (wasm): float32 only, got ${dy.dtype} and ${filter.dtype}`,
    );
  }
  const info = forwardConvInfo(
    'Conv2DBackpropInput',
    attrs.inputShape,
    filter.shape,
    dy.shape,
    attrs,
  );
  const runtime = kernelRuntimeOf(backend);
  const pads = strideOnePads(info);
  if (runtime && pads) {
    const [kh, kw, ci, co] = filter.shape as [number, number, number, number];
    const [n, h, w] = attrs.inputShape;
    const reversed = {
      top: kh - 1 - pads.top,
      bottom: h + pads.top - info.outHeight,
      left: kw - 1 - pads.left,
      right: w + pads.left - info.outWidth,
    };
    if (Object.values(reversed).every((p) => p >= 0)) {
      const dyShape = [n, info.outHeight, info.outWidth, co] as const;
      if (runtime.winograd && winogradApplies(kh, kw, co, ci, n * h * w)) {
        const dx = runtime.backend.makeOutput([n, h, w, ci], 'float32');
        const [dyAt, wAt] = [runtime.address(dy), runtime.address(filter)];
        winogradConv3x3(runtime, dyAt, dyShape, wAt, 'flipped', ci, reversed, runtime.address(dx));
        return dx;
      }
      const panels = flippedFilterPanels(runtime, runtime.address(filter), [kh, kw, ci, co]);
      try {
        const dx = runtime.backend.makeOutput([n, h, w, ci], 'float32');
        const geometry = { kh, kw, co: ci };
        const dxAddress = runtime.address(dx);
        convForward(runtime, runtime.address(dy), dyShape, panels, geometry, reversed, dxAddress);
        return dx;
      } finally {
        runtime.free(panels);
      }
    }
  }
  const scope = new KernelScope(backend);
  try {
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const filterT = scope.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    scope.release(flipped);
    const { source, pad } = transposedSource(scope, dy, info);
    const dx = scope.run(
      'Conv2D',
      { x: source, filter: filterT },
      { strides: 1, dilations: [info.dilationHeight, info.dilationWidth], pad, dataFormat: 'NHWC' },
    );
    const want = attrs.inputShape;
    if (dx.shape.some((d, i) => d !== want[i])) {
      throw new Error(
        `Conv2DBackpropInput (wasm): internal shape error, [${dx.shape}] vs [${want}]`,
      );
    }
    return scope.keep(dx);
  } finally {
    scope.disposeAll();
  }
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as KernelFunc,
};
