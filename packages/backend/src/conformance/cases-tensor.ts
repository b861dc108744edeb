import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../util/rng';
import type { OpCase } from './op-case';
import { normal, positive, probe } from './probe';

/** Arithmetic, shape and reduction ops (all linear or polynomial). */
export function tensorCases(rng: Rng): OpCase[] {
  const x = (shape: number[]) => normal(rng, shape);
  return [
    {
      name: 'matMul',
      inputs: [x([3, 4]), x([4, 2])],
      f: (a, b) => probe(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D)),
    },
    { name: 'add (broadcast)', inputs: [x([2, 3, 4]), x([4])], f: (a, b) => probe(tf.add(a, b)) },
    {
      name: 'sub (broadcast)',
      inputs: [x([2, 3, 4]), x([3, 1])],
      f: (a, b) => probe(tf.sub(a, b)),
    },
    {
      name: 'mul (broadcast)',
      inputs: [x([2, 3, 4]), x([1, 4])],
      f: (a, b) => probe(tf.mul(a, b)),
    },
    { name: 'div', inputs: [x([2, 5]), positive(rng, [2, 5])], f: (a, b) => probe(tf.div(a, b)) },
    {
      name: 'reshape',
      inputs: [x([2, 6])],
      f: (a) => probe(tf.mul(tf.reshape(a, [3, 4]), tf.reshape(a, [3, 4]))),
    },
    { name: 'concat', inputs: [x([2, 3]), x([2, 2])], f: (a, b) => probe(tf.concat([a, b, a], 1)) },
    { name: 'slice', inputs: [x([3, 5])], f: (a) => probe(tf.slice(a, [1, 1], [2, 3])) },
    {
      name: 'pad',
      inputs: [x([2, 3])],
      f: (a) =>
        probe(
          tf.pad(a, [
            [1, 0],
            [2, 1],
          ]),
        ),
    },
    {
      name: 'mirrorPad (reflect)',
      inputs: [x([3, 4])],
      f: (a) =>
        probe(
          tf.mirrorPad(
            a,
            [
              [2, 1],
              [1, 2],
            ],
            'reflect',
          ),
        ),
    },
    {
      name: 'mirrorPad (symmetric)',
      inputs: [x([3, 4])],
      f: (a) =>
        probe(
          tf.mirrorPad(
            a,
            [
              [1, 2],
              [2, 0],
            ],
            'symmetric',
          ),
        ),
    },
    { name: 'mean', inputs: [x([2, 3, 4])], f: (a) => probe(tf.mean(a, [1, 2])) },
    { name: 'sum', inputs: [x([2, 3, 4])], f: (a) => probe(tf.sum(a, 0)) },
    { name: 'square', inputs: [x([6])], f: (a) => probe(tf.square(a)) },
    { name: 'sqrt', inputs: [positive(rng, [6])], f: (a) => probe(tf.sqrt(a)) },
    { name: 'rsqrt', inputs: [positive(rng, [6])], f: (a) => probe(tf.rsqrt(a)) },
    {
      name: 'pow (tensor exponent)',
      inputs: [positive(rng, [5]), x([5])],
      f: (a, b) => probe(tf.pow(a, b)),
    },
    {
      name: 'instance norm (moments)',
      inputs: [x([2, 3, 3, 2])],
      f: (a) => {
        const { mean, variance } = tf.moments(a, [1, 2], true);
        return probe(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, 1e-5))));
      },
    },
    { name: 'max (reduction)', inputs: [x([3, 4])], f: (a) => probe(tf.max(a, 1)) },
    { name: 'min (reduction)', inputs: [x([3, 4])], f: (a) => probe(tf.min(a, 0)) },
  ];
}
