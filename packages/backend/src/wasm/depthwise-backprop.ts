import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrs, forwardConvInfo } from './conv-geometry';
import { KernelScope } from './kernel-scope';
import { phaseGridOperands } from './phase-grid';
import { transposedSource } from './transposed-source';

type DepthwiseAttrs = Omit<ConvAttrs, 'dataFormat'>;

function checkFloat(kernel: string, a: TensorInfo, b: TensorInfo): void {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error(`${kernel} (wasm): float32 only, got ${a.dtype} and ${b.dtype}`);
  }
}

/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (missing in tfjs-backend-wasm 4.22).
 *
 * For y[n,oh,ow,c·M+m] = Σ_{kh,kw} xpad[n, oh·sh + kh·dh, ow·sw + kw·dw, c] · w[kh,kw,c,m]:
 *   dW[kh,kw,c,m] = Σ_{n,oh,ow} xpad[...same pixel..., c] · dy[n,oh,ow,c·M+m],
 * per tap a channel-wise dot product over all output pixels. With the layout of
 * `phaseGridOperands` the tap's input is one column window [C, grid] of x (channel-major), so
 * each tap is one broadcast Multiply with dyᵀ [C, M, grid] and one Sum over the grid.
 */
export function depthwiseBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: KernelBackend;
  attrs: DepthwiseAttrs & { filterShape: [number, number, number, number] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const name = 'DepthwiseConv2dNativeBackpropFilter';
  checkFloat(name, x, dy);
  const info = forwardConvInfo(name, x.shape, attrs.filterShape, dy.shape, attrs, true);
  const [kh, kw, c, m] = attrs.filterShape;
  const scope = new KernelScope(backend);
  try {
    const { xT, dyRows, gridSize, tapStarts } = phaseGridOperands(scope, x, dy, info);
    const dyT = scope.run('Transpose', { x: dyRows }, { perm: [1, 0] });
    const dyByChannel = scope.reshape(dyT, [c, m, gridSize]);
    const perTap: TensorInfo[] = [];
    for (const start of tapStarts) {
      const window = scope.columnWindow(xT, start, gridSize);
      const xTap = scope.reshape(window, [c, 1, gridSize]);
      const products = scope.run('Multiply', { a: xTap, b: dyByChannel });
      scope.release(xTap);
      scope.release(window);
      const sums = scope.run('Sum', { x: products }, { axis: [2], keepDims: false });
      scope.release(products);
      perTap.push(scope.reshape(sums, [1, c, m]));
      scope.release(sums);
    }
    const stacked = perTap.length === 1 ? perTap[0]! : scope.run('Concat', perTap, { axis: 0 });
    return scope.keep(scope.reshape(stacked, [kh, kw, c, m]));
  } finally {
    scope.disposeAll();
  }
}

/**
 * DepthwiseConv2dNativeBackpropInput for wasm (missing in tfjs-backend-wasm 4.22).
 *
 *   dx[n,i,j,c] = Σ_{kh,kw,m} dy[n,oh,ow,c·M+m] · w[kh,kw,c,m],  i = oh·sh + kh·dh − top, …
 * is, per channel c·M+m, a stride-1 correlation of the zero-dilated dy with the spatially flipped
 * filter (`transposedSource`): one wasm (XNNPACK) DepthwiseConv2dNative with multiplier 1 over
 * the C·M channels of dy, then a Sum over m when M > 1.
 */
export function depthwiseBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: KernelBackend;
  attrs: DepthwiseAttrs & { inputShape: [number, number, number, number] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const name = 'DepthwiseConv2dNativeBackpropInput';
  checkFloat(name, dy, filter);
  const info = forwardConvInfo(name, attrs.inputShape, filter.shape, dy.shape, attrs, true);
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  const [n, h, w] = attrs.inputShape;
  const scope = new KernelScope(backend);
  try {
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const perChannel = scope.reshape(flipped, [kh, kw, c * m, 1]);
    const { source, pad } = transposedSource(scope, dy, info);
    const dilations = [info.dilationHeight, info.dilationWidth];
    const attrsOut = { strides: 1, dilations, pad };
    const full = scope.run('DepthwiseConv2dNative', { x: source, filter: perChannel }, attrsOut);
    if (m === 1) return scope.keep(full);
    const split = scope.reshape(full, [n, h, w, c, m]);
    return scope.keep(scope.run('Sum', { x: split }, { axis: [4], keepDims: false }));
  } finally {
    scope.disposeAll();
  }
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilterWasm as unknown as KernelFunc,
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInputWasm as unknown as KernelFunc,
};
