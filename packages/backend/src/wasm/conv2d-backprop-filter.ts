import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrs, forwardConvInfo } from './conv-geometry';
import { KernelScope } from './kernel-scope';
import { phaseGridOperands } from './phase-grid';
import { convFilterGrad } from './simd/conv-driver';
import { kernelRuntimeOf } from './simd/kernel-runtime';
import { strideOnePads } from './simd/stride-one';
import { winogradApplies } from './simd/winograd-driver';
import { winogradFilterGrad3x3 } from './simd/winograd-filter-grad';

interface BackpropFilterAttrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Conv2DBackpropFilter for the wasm backend (which has none, tfjs #8474).
 *
 * At stride 1 and dilation 1 (every conv in LSR) it runs @th's SIMD kernels on all threads:
 * Winograd F(3×3, 2×2) (`winogradFilterGrad3x3`) for 3×3 filters under the forward conv's rule
 * (`winogradApplies`), the direct kernel (`convFilterGrad`) for the rest. Otherwise, as follows.
 *
 * The filter gradient of y = conv2d(x, w) is, for each tap (kh, kw),
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} xpad[n, oh·sh + kh·dh, ow·sw + kw·dw, ci] · dy[n,oh,ow,co],
 * i.e. one matrix product per tap, X_tapᵀ (Ci × M) · dy (M × Co), M = N·OH·OW.
 *
 * Gathering each tap's input patch would be a strided copy per tap; `phaseGridOperands` lays
 * x out so that X_tapᵀ is one column window of a channel-major array (one memcpy per row) and
 * dy is zero-extended to match. The products run on the wasm backend's XNNPACK matmul, whose
 * fast path needs non-transposed operands and which packs the right-hand operand (dy, shared by
 * all taps) once per call of this kernel. Extra work over the exact product: the factor
 * Hq·Wq / (OH·OW) of the grid (3 % for a 64×64 'same' 3×3 conv).
 */
export function conv2dBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: KernelBackend;
  attrs: BackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter (wasm): float32 only, got ${x.dtype} and ${dy.dtype}`);
  }
  const info = forwardConvInfo('Conv2DBackpropFilter', x.shape, attrs.filterShape, dy.shape, attrs);
  const { inChannels: ci, outChannels: co, filterHeight: kh, filterWidth: kw } = info;
  const runtime = kernelRuntimeOf(backend);
  const pads = strideOnePads(info);
  if (runtime && pads) {
    const dw = runtime.backend.makeOutput([kh, kw, ci, co], 'float32');
    const xShape = x.shape as [number, number, number, number];
    const pixels = dy.shape[0]! * dy.shape[1]! * dy.shape[2]!;
    if (runtime.winograd && winogradApplies(kh, kw, ci, co, pixels)) {
      const [xAt, dyAt] = [runtime.address(x), runtime.address(dy)];
      winogradFilterGrad3x3(runtime, xAt, xShape, dyAt, co, pads, runtime.address(dw));
      return dw;
    }
    const geometry = { kh, kw, co };
    convFilterGrad(
      runtime,
      runtime.address(x),
      xShape,
      runtime.address(dy),
      geometry,
      pads,
      runtime.address(dw),
    );
    return dw;
  }

  const scope = new KernelScope(backend);
  try {
    const { xT, dyRows, gridSize, tapStarts } = phaseGridOperands(scope, x, dy, info);
    const perTap: TensorInfo[] = [];
    for (const start of tapStarts) {
      const xTapT = scope.columnWindow(xT, start, gridSize);
      const product = scope.run(
        'BatchMatMul',
        { a: xTapT, b: dyRows },
        { transposeA: false, transposeB: false },
      );
      scope.release(xTapT);
      perTap.push(scope.reshape(product, [1, ci, co]));
      scope.release(product);
    }
    const stacked = perTap.length === 1 ? perTap[0]! : scope.run('Concat', perTap, { axis: 0 });
    return scope.keep(scope.reshape(stacked, [kh, kw, ci, co]));
  } finally {
    scope.disposeAll();
  }
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
};
