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
 * i.e. one matrix product per tap, X_tapᵀ (Ci × M) · dy (M × Co), M = N·OH·OW.
 *
 * Gathering X_tap would be a strided copy per tap. Instead the padded input is split into its
 * stride phases (a stride-1 image each, see `axisPhases`), flattened to rows of Ci and transposed
 * once to Ci rows; dy is zero-extended to the phase grid (Hq × Wq) so that output pixel p pairs
 * with grid position p + offset of the tap's phase. X_tapᵀ is then the same column window of
 * every row of that transposed array (one memcpy per row): positions that wrap past a grid row
 * or image meet dy's zero extension and add nothing. Cost over the exact product: the factor
 * Hq·Wq / (OH·OW) (3 % for a 64×64 'same' 3×3 conv). The products run on the wasm backend's
 * XNNPACK matmul, whose fast path needs non-transposed operands and which packs the right-hand
 * operand (dy, shared by all taps) once per call of this kernel.
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
    const xPad = scope.run(
      'PadV2',
      { x },
      {
        paddings: [
          [0, 0],
          [info.padInfo.top, rows.padAfter],
          [info.padInfo.left, cols.padAfter],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    let phases = xPad;
    if (sh * sw > 1) {
      const split = scope.reshape(xPad, [n, hq, sh, wq, sw, ci]);
      phases = scope.run('Transpose', { x: split }, { perm: [2, 4, 0, 1, 3, 5] });
      scope.release(split);
      scope.release(xPad);
    }
    // Flat rows of ci, zero rows after the last phase for the largest tap offset, transposed.
    let maxOffset = 0;
    for (const r of rows.taps) {
      for (const c of cols.taps) maxOffset = Math.max(maxOffset, r.shift * wq + c.shift);
    }
    const flat = scope.reshape(phases, [sh * sw * gridSize, ci]);
    const flatPadded = scope.run(
      'PadV2',
      { x: flat },
      {
        paddings: [
          [0, maxOffset],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    scope.release(flat);
    scope.release(phases);
    const xT = scope.run('Transpose', { x: flatPadded }, { perm: [1, 0] });
    scope.release(flatPadded);

    // dy on the phase grid: [n·hq·wq, co], zero outside the OH × OW outputs.
    const dyGrid = scope.run(
      'PadV2',
      { x: dy },
      {
        paddings: [
          [0, 0],
          [0, hq - info.outHeight],
          [0, wq - info.outWidth],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    const dyRows = scope.reshape(dyGrid, [gridSize, co]);

    const perTap: TensorInfo[] = [];
    for (const r of rows.taps) {
      for (const c of cols.taps) {
        const start = (r.phase * sw + c.phase) * gridSize + r.shift * wq + c.shift;
        const xTapT = scope.columnWindow(xT, start, gridSize);
        const product = scope.run(
          'BatchMatMul',
          { a: xTapT, b: dyRows },
          {
            transposeA: false,
            transposeB: false,
          },
        );
        scope.release(xTapT);
        perTap.push(scope.reshape(product, [1, ci, co]));
        scope.release(product);
      }
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
