import * as tf from '@tensorflow/tfjs-core';
import type { NamedArray, NamedArrays } from '../networks';

/** PyTorch conv weight [out, in, kh, kw] → tfjs conv2d filter [kh, kw, in, out]. */
export function hwioFilter(weight: NamedArray): tf.Tensor4D {
  const shape = weight.shape as [number, number, number, number];
  return tf.tidy(() => tf.transpose(tf.tensor4d(weight.data, shape), [2, 3, 1, 0]));
}

/**
 * An eval-mode BatchNorm, y = (x − μ)/√(σ² + ε)·γ + β, as one per-channel affine map
 * y = s·x + t with s = γ/√(σ² + ε) and t = β − μ·s, computed in float64 from the state-dict
 * tensors `${prefix}.{weight, bias, running_mean, running_var}`. A negative (or NaN) running
 * variance is refused, naming `source` and the tensor.
 */
export function foldBatchNorm(
  arrays: NamedArrays,
  prefix: string,
  eps: number,
  source: string,
): { scale: Float64Array; shift: Float64Array } {
  const get = (field: string) => {
    const array = arrays.get(`${prefix}.${field}`);
    if (!array) throw new Error(`${source}: tensor "${prefix}.${field}" is missing`);
    return array.data;
  };
  const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map(
    get,
  ) as [Float32Array, Float32Array, Float32Array, Float32Array];
  const scale = new Float64Array(gamma.length);
  const shift = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    if (!(variance[c]! >= 0)) {
      throw new Error(`${source}: "${prefix}.running_var"[${c}] is ${variance[c]}`);
    }
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + eps);
    shift[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  return { scale, shift };
}
