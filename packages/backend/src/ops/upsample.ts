import * as tf from '@tensorflow/tfjs-core';
import { fusedUpsampleBilinear2x } from '../fused/upsample-kernel';
import { upsampleFusedAvailable } from '../webgpu/runtime/fused-ops';
import { assertImageBatch } from './validate';

/**
 * x2 bilinear up-sampling with half-pixel centres, equal to
 * tf.image.resizeBilinear(x, [2H, 2W], false, true) but safe to differentiate to any order
 * (tfjs' ResizeBilinearGrad kernel has no gradient, and wasm's is a separate kernel).
 *
 * With half-pixel centres output 2i samples source i - 1/4 and output 2i+1 samples i + 1/4, so
 *   y[2i]   = x[i] + (x[i-1] - x[i]) / 4,   y[2i+1] = x[i] + (x[i+1] - x[i]) / 4,
 * with the neighbour clamped at the border (edge replication). Applied along H then W; the
 * even/odd rows are interleaved by concat on a new axis + reshape. Only slice/concat/mul/add/
 * reshape are used, all linear with safe gradients.
 */
export function upsampleBilinear2x(x: tf.Tensor4D): tf.Tensor4D {
  assertImageBatch('upsampleBilinear2x', x);
  // One kernel (its gradient exact at every order) instead of ~30, on WebGPU, wasm and cpu.
  if (upsampleFusedAvailable() && x.dtype === 'float32') return fusedUpsampleBilinear2x(x);
  return tf.tidy(() => upsampleAxis(upsampleAxis(x, 1), 2));
}

function upsampleAxis(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  const take = (start: number, size: number): tf.Tensor4D => {
    const begin = [0, 0, 0, 0];
    const sizes = [...x.shape];
    begin[axis] = start;
    sizes[axis] = size;
    return tf.slice(x, begin, sizes);
  };
  const prev = n > 1 ? tf.concat([take(0, 1), take(0, n - 1)], axis) : x;
  const next = n > 1 ? tf.concat([take(1, n - 1), take(n - 1, 1)], axis) : x;
  const even = tf.add(x, tf.mul(tf.sub(prev, x), 0.25));
  const odd = tf.add(x, tf.mul(tf.sub(next, x), 0.25));
  // Interleave along `axis`: stack on a new axis right after it, then merge the two.
  const [b, h, w, c] = x.shape;
  const split: [number, number, number, number, number] =
    axis === 1 ? [b, h, 1, w, c] : [b, h, w, 1, c];
  const pair = tf.concat([tf.reshape(even, split), tf.reshape(odd, split)], axis + 1);
  return tf.reshape(pair, axis === 1 ? [b, 2 * h, w, c] : [b, h, 2 * w, c]);
}
