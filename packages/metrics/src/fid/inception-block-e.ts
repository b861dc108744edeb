import type * as tf from '@tensorflow/tfjs-core';
import { avgPool3x3ExcludePad, basicConv, concatChannels, maxPool3x3Same } from './inception-ops';
import type { InceptionWeights } from './inception-weights';

/**
 * Mixed_7b / Mixed_7c, pytorch-fid's FIDInceptionE_1 / FIDInceptionE_2. Branches: 1x1;
 * 1x1 → [1x3, 3x1]; 1x1 → 3x3 → [1x3, 3x1]; pool → 1x1, where the bracketed pairs both read the
 * same input and are concatenated. The pool is the one place the two differ: Mixed_7b averages
 * (padding not counted), Mixed_7c takes a 3x3 max, as the TF 2015-12-05 graph does.
 */
export function inceptionBlockE(
  x: tf.Tensor4D,
  w: InceptionWeights,
  name: string,
  pool: 'avg' | 'max',
): tf.Tensor4D {
  const c = (input: tf.Tensor4D, layer: string) => basicConv(input, w, `${name}.${layer}`);
  const b1 = c(x, 'branch1x1');
  const s3 = c(x, 'branch3x3_1');
  const b3 = concatChannels([c(s3, 'branch3x3_2a'), c(s3, 'branch3x3_2b')]);
  const d3 = c(c(x, 'branch3x3dbl_1'), 'branch3x3dbl_2');
  const b3d = concatChannels([c(d3, 'branch3x3dbl_3a'), c(d3, 'branch3x3dbl_3b')]);
  const pooled = pool === 'avg' ? avgPool3x3ExcludePad(x) : maxPool3x3Same(x);
  return concatChannels([b1, b3, b3d, c(pooled, 'branch_pool')]);
}
