import * as tf from '@tensorflow/tfjs-core';
import { leakyRelu } from '../ops/activations';
import { logSoftmax } from '../ops/log-softmax';
import type { Rng } from '../util/rng';
import type { OpCase } from './op-case';
import { awayFromZero, normal, positive, probe } from './probe';

/** Element-wise and softmax-like non-linearities. */
export function nonlinearCases(rng: Rng): OpCase[] {
  const x = (shape: number[]) => normal(rng, shape);
  const kinked = (shape: number[]) => awayFromZero(rng, shape);
  return [
    { name: 'exp', inputs: [x([6])], f: (a) => probe(tf.exp(a)) },
    { name: 'log', inputs: [positive(rng, [6])], f: (a) => probe(tf.log(a)) },
    { name: 'tanh', inputs: [x([6])], f: (a) => probe(tf.tanh(a)) },
    { name: 'sigmoid', inputs: [x([6])], f: (a) => probe(tf.sigmoid(a)) },
    { name: 'softplus', inputs: [x([6])], f: (a) => probe(tf.softplus(a)) },
    { name: 'elu', inputs: [kinked([6])], f: (a) => probe(tf.elu(a)) },
    { name: 'softmax', inputs: [x([2, 5])], f: (a) => probe(tf.softmax(a)) },
    { name: 'logSoftmax (@th)', inputs: [x([2, 5])], f: (a) => probe(logSoftmax(a)) },
    {
      name: 'tf.logSoftmax',
      inputs: [x([2, 5])],
      f: (a) => probe(tf.logSoftmax(a)),
      knownWrong: 'second',
    },
    { name: 'relu', inputs: [kinked([6])], f: (a) => probe(tf.relu(a)) },
    { name: 'leakyRelu (@th)', inputs: [kinked([6])], f: (a) => probe(leakyRelu(a, 0.2)) },
    { name: 'tf.leakyRelu', inputs: [kinked([6])], f: (a) => probe(tf.leakyRelu(a, 0.2)) },
    { name: 'abs', inputs: [kinked([6])], f: (a) => probe(tf.abs(a)) },
    // b = a + offset keeps the two arguments apart, so the max never sits at a tie.
    {
      name: 'maximum',
      inputs: [x([6]), kinked([6])],
      f: (a, d) => probe(tf.maximum(a, tf.add(a, d))),
    },
    {
      name: 'where (mask of a comparison)',
      inputs: [kinked([6])],
      f: (a) => probe(tf.where(tf.greater(a, 0), tf.square(a), tf.mul(a, 3))),
    },
  ];
}
