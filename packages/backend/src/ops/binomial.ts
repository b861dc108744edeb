import * as tf from '@tensorflow/tfjs-core';

/** Largest blur size supported (antialiased-cnns offers 1..7). */
export const MAX_BLUR_SIZE = 7;

/**
 * Row `size - 1` of Pascal's triangle: [1], [1,1], [1,2,1], [1,3,3,1], ... These are the
 * binomial (discrete Gaussian-like) blur taps used by BlurPool (Zhang, ICML 2019) and LSR.
 */
export function binomialRow(size: number): number[] {
  if (!Number.isInteger(size) || size < 1 || size > MAX_BLUR_SIZE) {
    throw new Error(
      `binomialRow: filter size must be an integer in 1..${MAX_BLUR_SIZE}, got ${size}`,
    );
  }
  let row = [1];
  for (let i = 1; i < size; i++)
    row = [...row, 0].map((v, j) => v + (j > 0 ? (row[j - 1] as number) : 0));
  return row;
}

/**
 * Normalised separable 2-D binomial kernel (outer product of the row with itself, divided by its
 * sum, e.g. [1,2,1]^T[1,2,1]/16), tiled over `channels` in depthwise layout [f, f, C, 1]. It is
 * symmetric under a 180-degree flip, so correlation and convolution with it coincide.
 */
export function binomialKernel(size: number, channels: number): tf.Tensor4D {
  const row = binomialRow(size);
  const total = row.reduce((a, b) => a + b, 0) ** 2;
  const values = new Float32Array(size * size * channels);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const w = ((row[i] as number) * (row[j] as number)) / total;
      values.fill(w, (i * size + j) * channels, (i * size + j + 1) * channels);
    }
  }
  return tf.tensor4d(values, [size, size, channels, 1]);
}
