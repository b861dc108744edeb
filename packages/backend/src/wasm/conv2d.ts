import {
  backend_util,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { callOriginalKernel } from './original-kernels';
import { convForward, filterPanels } from './simd/conv-driver';
import { kernelRuntimeOf } from './simd/kernel-runtime';
import { strideOnePads } from './simd/stride-one';
import { winogradApplies, winogradConv3x3 } from './simd/winograd-driver';

interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * Conv2D for the wasm backend: float32 NHWC convolutions at stride 1 and dilation 1 (all of
 * LSR's) run @th's SIMD kernel on all threads (`convForward`); anything else goes to tfjs'
 * XNNPACK kernel. The SIMD kernel reads the filter as stored, so a filter computed anew for every
 * call (equalized learning rate scales the weights each forward pass) costs nothing extra, where
 * XNNPACK would create an operator and repack the weights each time.
 */
export function conv2dWasm(args: {
  inputs: { x: TensorInfo; filter: TensorInfo };
  backend: KernelBackend;
  attrs: Conv2DAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const runtime = kernelRuntimeOf(backend);
  const nhwc = (attrs.dataFormat ?? 'NHWC') === 'NHWC';
  if (runtime && nhwc && x.dtype === 'float32' && filter.dtype === 'float32') {
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const pads = strideOnePads(info);
    if (pads && info.outHeight > 0 && info.outWidth > 0) {
      const { batchSize: n, outHeight, outWidth, outChannels: co } = info;
      const y = runtime.backend.makeOutput([n, outHeight, outWidth, co], 'float32');
      const xShape = x.shape as [number, number, number, number];
      const wShape = filter.shape as [number, number, number, number];
      const geometry = { kh: info.filterHeight, kw: info.filterWidth, co };
      const ci = xShape[3];
      const pixels = n * outHeight * outWidth;
      if (runtime.winograd && winogradApplies(geometry.kh, geometry.kw, ci, co, pixels)) {
        const xAddress = runtime.address(x);
        const fAddress = runtime.address(filter);
        winogradConv3x3(
          runtime,
          xAddress,
          xShape,
          fAddress,
          'forward',
          co,
          pads,
          runtime.address(y),
        );
        return y;
      }
      const panels = filterPanels(runtime, runtime.address(filter), wShape);
      try {
        convForward(
          runtime,
          runtime.address(x),
          xShape,
          panels,
          geometry,
          pads,
          runtime.address(y),
        );
      } finally {
        runtime.free(panels);
      }
      return y;
    }
  }
  return callOriginalKernel('Conv2D', args);
}

export const conv2dConfig: KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'wasm',
  kernelFunc: conv2dWasm as unknown as KernelFunc,
};
