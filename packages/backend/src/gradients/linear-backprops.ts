import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradients for tfjs' backprop kernels that have none (so a second derivative through avgPool,
 * resizeBilinear, depthwiseConv2d or a conv filter gradient throws).
 *
 * Each of these kernels is LINEAR in its incoming gradient `dy` (the adjoint of a linear op), so
 * its own gradient with respect to `dy` is the original forward op applied to the new upstream
 * gradient (the adjoint of an adjoint is the op itself). Inputs that only supply a shape
 * (`input`, `images`) get a zero gradient. The filter-gradient kernels are bilinear in (x, dy):
 * for F(x, dy) = conv2DBackpropFilter(x, dy) and an upstream ddw,
 *   <ddw, F(x, dy)> = <dy, conv2d(x, ddw)> = <x, conv2DBackpropInput(dy, ddw)>.
 */
const zerosLikeFloat = (t: tf.Tensor) => () => tf.zeros(t.shape, 'float32');
type Pad = 'valid' | 'same' | number;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

const avgPoolGradGrad: tf.GradConfig = {
  kernelName: 'AvgPoolGrad',
  inputsToSave: ['input'],
  gradFunc: (ddx, saved, attrs) => {
    const [input] = saved as [tf.Tensor4D];
    const filterSize = attrs.filterSize as [number, number];
    const strides = attrs.strides as [number, number];
    return {
      dy: () => tf.avgPool(ddx as tf.Tensor4D, filterSize, strides, attrs.pad as Pad),
      input: zerosLikeFloat(input),
    };
  },
};

function resizeGradGrad(
  kernelName: string,
  forward: typeof tf.image.resizeBilinear,
): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['images', 'dy'],
    gradFunc: (ddx, saved, attrs) => {
      const [images, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
      const size: [number, number] = [dy.shape[1], dy.shape[2]];
      return {
        dy: () =>
          forward(
            ddx as tf.Tensor4D,
            size,
            attrs.alignCorners as boolean,
            attrs.halfPixelCenters as boolean,
          ),
        images: zerosLikeFloat(images),
      };
    },
  };
}

const conv2DBackpropFilterGrad: tf.GradConfig = {
  kernelName: 'Conv2DBackpropFilter',
  inputsToSave: ['x', 'dy'],
  gradFunc: (ddw, saved, attrs) => {
    const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
    const strides = attrs.strides as [number, number];
    const pad = attrs.pad as 'valid' | 'same';
    const format = attrs.dataFormat as 'NHWC' | 'NCHW';
    const rounding = attrs.dimRoundingMode as Rounding;
    const w = ddw as tf.Tensor4D;
    return {
      x: () => tf.conv2dTranspose(dy, w, x.shape, strides, pad, rounding),
      dy: () => tf.conv2d(x, w, strides, pad, format, 1, rounding),
    };
  },
};

const depthwiseAttrs = (attrs: tf.NamedAttrMap) => ({
  strides: attrs.strides as [number, number],
  pad: attrs.pad as 'valid' | 'same',
  dilations: (attrs.dilations ?? [1, 1]) as [number, number],
  dimRoundingMode: attrs.dimRoundingMode as Rounding,
});

const depthwiseBackpropInputGrad: tf.GradConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  inputsToSave: ['dy', 'filter'],
  gradFunc: (ddx, saved, attrs) => {
    const [dy, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = depthwiseAttrs(attrs);
    const g = ddx as tf.Tensor4D;
    return {
      dy: () =>
        tf.depthwiseConv2d(g, filter, a.strides, a.pad, 'NHWC', a.dilations, a.dimRoundingMode),
      filter: () =>
        tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropFilter',
            { x: g, dy },
            { ...attrs, filterShape: filter.shape },
          ) as tf.Tensor,
    };
  },
};

const depthwiseBackpropFilterGrad: tf.GradConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  inputsToSave: ['x', 'dy'],
  gradFunc: (ddw, saved, attrs) => {
    const [x, dy] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = depthwiseAttrs(attrs);
    const w = ddw as tf.Tensor4D;
    return {
      x: () =>
        tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy, filter: w },
            { ...attrs, inputShape: x.shape },
          ) as tf.Tensor,
      dy: () => tf.depthwiseConv2d(x, w, a.strides, a.pad, 'NHWC', a.dilations, a.dimRoundingMode),
    };
  },
};

export const LINEAR_BACKPROP_GRADIENTS: tf.GradConfig[] = [
  avgPoolGradGrad,
  resizeGradGrad('ResizeBilinearGrad', tf.image.resizeBilinear),
  resizeGradGrad('ResizeNearestNeighborGrad', tf.image.resizeNearestNeighbor),
  conv2DBackpropFilterGrad,
  depthwiseBackpropInputGrad,
  depthwiseBackpropFilterGrad,
];
