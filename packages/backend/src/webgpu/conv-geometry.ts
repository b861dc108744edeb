import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** Attributes common to Conv2D and its two backprop kernels, as tfjs passes them. */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
}

/** Everything a convolution GEMM bakes into its shader: the forward convolution's geometry. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  /** Zero rows/columns before the input (after-padding follows from the output size). */
  padTop: number;
  padLeft: number;
}

/** Largest element count the kernels index with i32 arithmetic (with headroom for offsets). */
const MAX_ELEMENTS = 2 ** 30;

/**
 * The forward geometry of a convolution kernel call, or the reason @th's kernels do not cover
 * it (the caller then runs tfjs' own kernel): only NHWC float32 with every size non-zero.
 */
export function convGeometry(
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
  tensors: TensorInfo[],
): ConvGeometry | string {
  if (xShape.length !== 4 || filterShape.length !== 4) return 'not 4-D';
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') return `dataFormat ${attrs.dataFormat}`;
  if (tensors.some((t) => t.dtype !== 'float32')) return 'not float32';
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const g: ConvGeometry = {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilationH: info.dilationHeight,
    dilationW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
  const sizes = [g.batch, g.inH, g.inW, g.inC, g.outH, g.outW, g.outC, g.kH, g.kW];
  if (sizes.some((s) => !(s > 0))) return 'empty tensor';
  const largest = Math.max(
    g.batch * g.inH * g.inW * g.inC,
    g.batch * g.outH * g.outW * g.outC,
    g.kH * g.kW * g.inC * g.outC,
  );
  if (largest > MAX_ELEMENTS) return 'too large for i32 indexing';
  return g;
}
