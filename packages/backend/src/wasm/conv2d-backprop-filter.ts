import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { axisPhases, type ConvAttrs, forwardConvInfo } from './conv-geometry';
import { KernelScope } from './kernel-scope';

interface BackpropFilterAttrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Conv2DBackpropFilter for the wasm backend (which has none, tfjs #8474).
 *
 * The filter gradient of y = conv2d(x, w) is, for each tap (kh, kw),
 *   dW[kh,kw,ci,co] = Σ_{n,oh,ow} xpad[n, oh·sh + kh·dh, ow·sw + kw·dw, ci] · dy[n,oh,ow,co],
 * i.e. one matrix product per tap, dyᵀ (Co × M) · X_tap (M × Ci), M = N·OH·OW.
 *
 * Gathering X_tap would be a strided copy per tap. Instead the padded input is split into its
 * stride phases (a stride-1 image each, see `axisPhases`) and flattened to rows of Ci; dy is
 * zero-extended to the phase grid (Hq × Wq) so that output pixel p pairs with flat row p + offset
 * of the tap's phase. X_tap is then ONE contiguous slice of that flat array: rows that wrap past
 * a phase row or image meet dy's zero extension and add nothing. Cost over the exact product:
 * the factor Hq·Wq / (OH·OW) (3 % for a 64×64 'same' 3×3 conv). The products run on the wasm
 * backend's XNNPACK matmul (its fast path needs non-transposed operands, hence one transpose
 * of dy up front).
 *
 * Caveat: wrapped rows multiply zeros, so a non-finite value in x can leak NaN into taps that
 * would not have read it; with finite inputs the result is exact.
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
  const { batchSize: n, inChannels: ci, outChannels: co, filterHeight: kh, filterWidth: kw } = info;
  const rows = axisPhases(
    info.inHeight,
    info.outHeight,
    kh,
    info.strideHeight,
    info.dilationHeight,
    info.padInfo.top,
  );
  const cols = axisPhases(
    info.inWidth,
    info.outWidth,
    kw,
    info.strideWidth,
    info.dilationWidth,
    info.padInfo.left,
  );
  const sh = info.strideHeight;
  const sw = info.strideWidth;
  const hq = rows.phaseLength;
  const wq = cols.phaseLength;
  const gridSize = n * hq * wq;

  const scope = new KernelScope(backend);
  try {
    // Zero-pad x to (hq·sh) × (wq·sw) and reorder into phases [sh, sw, n, hq, wq, ci].
    const xPad = scope.run('PadV2', { x }, {
      paddings: [
        [0, 0],
        [info.padInfo.top, rows.padAfter],
        [info.padInfo.left, cols.padAfter],
        [0, 0],
      ],
      constantValue: 0,
    });
    let phases = xPad;
    if (sh * sw > 1) {
      const split = scope.reshape(xPad, [n, hq, sh, wq, sw, ci]);
      phases = scope.run('Transpose', { x: split }, { perm: [2, 4, 0, 1, 3, 5] });
      scope.release(split);
      scope.release(xPad);
    }
    // Flat rows of ci, plus enough zero rows after the last phase for the largest tap offset.
    let maxOffset = 0;
    for (const r of rows.taps) for (const c of cols.taps) {
      maxOffset = Math.max(maxOffset, r.shift * wq + c.shift);
    }
    const flat = scope.reshape(phases, [sh * sw * gridSize, ci]);
    const flatPadded = scope.run('PadV2', { x: flat }, {
      paddings: [
        [0, maxOffset],
        [0, 0],
      ],
      constantValue: 0,
    });
    scope.release(flat);
    scope.release(phases);

    // dyᵀ on the phase grid: [co, n·hq·wq], zero outside the OH × OW outputs.
    const dyGrid = scope.run('PadV2', { x: dy }, {
      paddings: [
        [0, 0],
        [0, hq - info.outHeight],
        [0, wq - info.outWidth],
        [0, 0],
      ],
      constantValue: 0,
    });
    const dyRows = scope.reshape(dyGrid, [gridSize, co]);
    const dyT = scope.run('Transpose', { x: dyRows }, { perm: [1, 0] });
    scope.release(dyRows);
    scope.release(dyGrid);

    const perTap: TensorInfo[] = [];
    for (const r of rows.taps) {
      for (const c of cols.taps) {
        const start = (r.phase * sw + c.phase) * gridSize + r.shift * wq + c.shift;
        const xTap = scope.run('Slice', { x: flatPadded }, { begin: [start, 0], size: [gridSize, ci] });
        const product = scope.run('BatchMatMul', { a: dyT, b: xTap }, { transposeA: false, transposeB: false });
        scope.release(xTap);
        perTap.push(scope.reshape(product, [1, co, ci]));
        scope.release(product);
      }
    }
    const stacked = perTap.length === 1 ? perTap[0]! : scope.run('Concat', perTap, { axis: 0 });
    const tapsCiCo = scope.run('Transpose', { x: stacked }, { perm: [0, 2, 1] });
    return scope.keep(scope.reshape(tapsCiCo, [kh, kw, ci, co]));
  } finally {
    scope.disposeAll();
  }
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as KernelFunc,
};
