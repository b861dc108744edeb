import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { axisPhases } from './conv-geometry';
import type { KernelScope } from './kernel-scope';

/** The operands every filter gradient here is built from (see `phaseGridOperands`). */
export interface PhaseGrid {
  /** Padded input in stride phases, channel-major: [Ci, sh·sw·gridSize + maxOffset]. */
  xT: TensorInfo;
  /** dy zero-extended to the phase grid: [gridSize, dy channels]. */
  dyRows: TensorInfo;
  /** Positions on the grid: N·Hq·Wq. */
  gridSize: number;
  /** Per filter tap (row-major over KH × KW): where its window starts in xT's columns. */
  tapStarts: number[];
}

/**
 * Lay out x and dy so that every filter tap's input patch is one column window of xT.
 *
 * Tap (kh, kw) of a conv reads padded pixel (oh·sh + kh·dh, ow·sw + kw·dw) for output (oh, ow).
 * Splitting the padded input into its stride phases (`axisPhases`) makes that pixel
 * (oh + qh, ow + qw) of phase (rh, rw): a plain shift. Flattened over (phase, n, row, column) on
 * a grid of Hq × Wq per image, output p pairs with position p + start(tap); dy is zero-extended
 * to the same grid, so positions that wrap past a grid row or image meet zeros and add nothing.
 * Caveat: wrapped positions multiply zeros, so a non-finite x value can leak NaN into taps that
 * would not have read it; with finite inputs the result is exact.
 */
export function phaseGridOperands(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): PhaseGrid {
  const { batchSize: n, inChannels: ci, strideHeight: sh, strideWidth: sw } = info;
  const rows = axisPhases(
    info.inHeight,
    info.outHeight,
    info.filterHeight,
    sh,
    info.dilationHeight,
    info.padInfo.top,
  );
  const cols = axisPhases(
    info.inWidth,
    info.outWidth,
    info.filterWidth,
    sw,
    info.dilationWidth,
    info.padInfo.left,
  );
  const hq = rows.phaseLength;
  const wq = cols.phaseLength;
  const gridSize = n * hq * wq;
  const tapStarts: number[] = [];
  let maxOffset = 0;
  for (const r of rows.taps) {
    for (const c of cols.taps) {
      const offset = r.shift * wq + c.shift;
      tapStarts.push((r.phase * sw + c.phase) * gridSize + offset);
      maxOffset = Math.max(maxOffset, offset);
    }
  }

  // Zero-pad x to (hq·sh) × (wq·sw) and reorder into phases [sh, sw, n, hq, wq, ci].
  const pads = [
    [0, 0],
    [info.padInfo.top, rows.padAfter],
    [info.padInfo.left, cols.padAfter],
    [0, 0],
  ];
  const xPad = scope.run('PadV2', { x }, { paddings: pads, constantValue: 0 });
  let phases = xPad;
  if (sh * sw > 1) {
    const split = scope.reshape(xPad, [n, hq, sh, wq, sw, ci]);
    phases = scope.run('Transpose', { x: split }, { perm: [2, 4, 0, 1, 3, 5] });
    scope.release(split);
    scope.release(xPad);
  }
  // Flat rows of ci, zero rows after the last phase for the largest tap offset, transposed.
  const flat = scope.reshape(phases, [sh * sw * gridSize, ci]);
  const tail = [
    [0, maxOffset],
    [0, 0],
  ];
  const flatPadded = scope.run('PadV2', { x: flat }, { paddings: tail, constantValue: 0 });
  scope.release(flat);
  scope.release(phases);
  const xT = scope.run('Transpose', { x: flatPadded }, { perm: [1, 0] });
  scope.release(flatPadded);

  const dyPads = [
    [0, 0],
    [0, hq - info.outHeight],
    [0, wq - info.outWidth],
    [0, 0],
  ];
  const dyGrid = scope.run('PadV2', { x: dy }, { paddings: dyPads, constantValue: 0 });
  const dyRows = scope.reshape(dyGrid, [gridSize, dy.shape[3] as number]);
  scope.release(dyGrid);
  return { xT, dyRows, gridSize, tapStarts };
}
