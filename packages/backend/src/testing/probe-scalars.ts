import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../util/rng';

/** A fixed random weighting w of an output, so that S = sum(y * w) probes every output element. */
export function randomWeights(shape: number[], seed = 7): tf.Tensor {
  return tf.tensor(createRng(seed).normalArray(shape.reduce((a, b) => a * b, 1)), shape);
}

/** A trainable variable holding N(0,1) values of the given shape (an input to differentiate). */
export function randomVariable(shape: number[], seed = 3): tf.Variable {
  return tf.variable(
    tf.tensor(createRng(seed).normalArray(shape.reduce((a, b) => a * b, 1)), shape),
  );
}

/**
 * The scalars for first-order and nested (R1-style) checks of a layer `f` at input variable x:
 *   first(x)  = sum(f(x) * w)            (w fixed random: every output element matters)
 *   nested(x) = sum((d first / dx)^2)    (the R1 penalty's form, Mescheder et al. 2018)
 * Both read x through the closure, so check them with `{ variables: [x, ...weights] }`.
 */
export function checkScalars(f: (x: tf.Tensor) => tf.Tensor, x: tf.Variable) {
  const outShape = tf.tidy(() => f(x).shape);
  const w = randomWeights(outShape);
  const first = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(input), w));
  return {
    first: () => first(x),
    nested: () => tf.sum(tf.square(tf.grad(first)(x))) as tf.Scalar,
    dispose: () => w.dispose(),
  };
}
