import { backend_util } from '@tensorflow/tfjs-core';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** The attributes shared by Conv2D and its two backprop kernels. */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  /** tfjs' backprop kernels carry no dilations (its conv gradient refuses them); accepted if set. */
  dilations?: [number, number] | number;
}

/**
 * Forward-conv geometry of a backprop call: `computeConv2DInfo` on the forward shapes, with the
 * checks the backprop kernels need (NHWC only, 4-D shapes, dy of the forward output's shape).
 * `depthwise`: the filter is [KH, KW, C, M] and dy has C·M channels.
 */
export function forwardConvInfo(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  dyShape: number[],
  attrs: ConvAttrs,
  depthwise = false,
): backend_util.Conv2DInfo {
  if (xShape.length !== 4 || filterShape.length !== 4 || dyShape.length !== 4) {
    throw new Error(
      `${kernel} (wasm): expected 4-D input, filter and dy, got [${xShape}], [${filterShape}], [${dyShape}]`,
    );
  }
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') {
    throw new Error(`${kernel} (wasm): only dataFormat NHWC is supported, got ${attrs.dataFormat}`);
  }
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  const expected = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (expected.some((d, i) => d !== dyShape[i])) {
    throw new Error(
      `${kernel} (wasm): dy has shape [${dyShape}] but the forward conv of [${xShape}] with filter [${filterShape}] gives [${expected}]`,
    );
  }
  return info;
}

/**
 * Along one spatial axis, where filter tap k reads the zero-padded input: padded row
 * `o*stride + k*dilation` for output row o. Writing `k*dilation = q*stride + r`, that is row
 * `o + q` of the phase-r image (every stride-th padded row starting at r), a stride-1 shift.
 */
export interface AxisPhases {
  /** Rows of each phase image (the padded length is `phaseLength * stride`). */
  phaseLength: number;
  /** Zero rows added after the input so the padded length is a multiple of the stride. */
  padAfter: number;
  /** Phase (r) and shift (q) of each filter tap. */
  taps: { phase: number; shift: number }[];
}

export function axisPhases(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
  padBefore: number,
): AxisPhases {
  // Every padded row read by any tap, and the whole input, must fit in the padded length.
  const lastRead = (outSize - 1) * stride + (filterSize - 1) * dilation;
  const phaseLength = Math.ceil(Math.max(lastRead + 1, padBefore + inSize) / stride);
  const taps = [];
  for (let k = 0; k < filterSize; k++) {
    const offset = k * dilation;
    taps.push({ phase: offset % stride, shift: Math.floor(offset / stride) });
  }
  return { phaseLength, padAfter: phaseLength * stride - padBefore - inSize, taps };
}
