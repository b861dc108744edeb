import * as tf from '@tensorflow/tfjs-core';
import { blurPool } from '../ops/blur-pool';
import { avgPool2, boxDownsample } from '../ops/pooling';
import { upsampleBilinear2x } from '../ops/upsample';
import type { Rng } from '../util/rng';
import type { OpCase } from './op-case';
import { normal, probe } from './probe';

/** Convolutions, pooling and resampling (NHWC), tfjs kernels and @th custom ops. */
export function spatialCases(rng: Rng): OpCase[] {
  const x = (shape: number[], scale = 1) => normal(rng, shape, scale);
  const img = (f: (t: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor) => probe(f(a as tf.Tensor4D));
  return [
    {
      name: 'conv2d 3x3 same',
      inputs: [x([1, 4, 4, 2]), x([3, 3, 2, 3], 0.5)],
      f: (a, w) => probe(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')),
    },
    {
      name: 'conv2d 3x3 stride 2 valid',
      inputs: [x([1, 5, 5, 2]), x([3, 3, 2, 2], 0.5)],
      f: (a, w) => probe(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'valid')),
    },
    {
      // LSR's skip convs (and vec4 loads in @th's WebGPU kernels: channels a multiple of 4).
      name: 'conv2d 1x1, 4->4 channels',
      inputs: [x([2, 3, 3, 4]), x([1, 1, 4, 4], 0.5)],
      f: (a, w) => probe(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')),
    },
    {
      // LSR's encoder stem.
      name: 'conv2d 7x7 same',
      inputs: [x([1, 5, 4, 2]), x([7, 7, 2, 2], 0.3)],
      f: (a, w) => probe(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')),
    },
    {
      name: 'conv2dTranspose',
      inputs: [x([1, 3, 3, 2]), x([3, 3, 2, 2], 0.5)],
      f: (a, w) =>
        probe(tf.conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, [1, 6, 6, 2], 2, 'same')),
    },
    { name: 'blurPool f3 same (even 6)', inputs: [x([1, 6, 6, 2])], f: img((t) => blurPool(t)) },
    { name: 'blurPool f3 same (odd 7)', inputs: [x([1, 7, 5, 2])], f: img((t) => blurPool(t)) },
    {
      name: 'blurPool f4 zero',
      inputs: [x([2, 6, 5, 1])],
      f: img((t) => blurPool(t, { filterSize: 4, padding: 'zero' })),
    },
    {
      name: 'blurPool f5 reflect',
      inputs: [x([1, 6, 6, 2])],
      f: img((t) => blurPool(t, { filterSize: 5, padding: 'reflect' })),
    },
    {
      name: 'blurPool f7 reflect stride 3',
      inputs: [x([1, 8, 7, 1])],
      f: img((t) => blurPool(t, { filterSize: 7, padding: 'reflect', stride: 3 })),
    },
    { name: 'avgPool2 (odd 7)', inputs: [x([1, 7, 6, 2])], f: img((t) => avgPool2(t)) },
    { name: 'boxDownsample x3', inputs: [x([1, 6, 6, 2])], f: img((t) => boxDownsample(t, 3)) },
    { name: 'upsampleBilinear2x', inputs: [x([1, 3, 4, 2])], f: img((t) => upsampleBilinear2x(t)) },
    {
      name: 'tf.avgPool 2x2',
      inputs: [x([1, 4, 4, 2])],
      f: img((t) => tf.avgPool(t, 2, 2, 'valid')),
    },
    {
      name: 'tf.image.resizeBilinear',
      inputs: [x([1, 3, 3, 2])],
      f: img((t) => tf.image.resizeBilinear(t, [6, 5], false, false)),
    },
    {
      name: 'tf.image.resizeBilinear halfPixelCenters',
      inputs: [x([1, 3, 3, 2])],
      f: img((t) => tf.image.resizeBilinear(t, [6, 5], false, true)),
      knownWrong: 'first',
    },
    {
      name: 'tf.depthwiseConv2d',
      inputs: [x([1, 5, 5, 2]), x([3, 3, 2, 1], 0.5)],
      f: (a, w) => probe(tf.depthwiseConv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')),
      backends: ['cpu'],
    },
  ];
}
