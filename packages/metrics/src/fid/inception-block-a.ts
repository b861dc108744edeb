import type * as tf from '@tensorflow/tfjs-core';
import { avgPool3x3ExcludePad, basicConv, concatChannels } from './inception-ops';
import type { InceptionWeights } from './inception-weights';

/**
 * Mixed_5b/c/d, pytorch-fid's FIDInceptionA: four branches concatenated in this order:
 * 1x1; 1x1 → 5x5; 1x1 → 3x3 → 3x3; 3x3 average pool (padding not counted, as in the TF graph)
 * → 1x1. Spatial size is kept.
 */
export function inceptionBlockA(x: tf.Tensor4D, w: InceptionWeights, name: string): tf.Tensor4D {
  const c = (input: tf.Tensor4D, layer: string) => basicConv(input, w, `${name}.${layer}`);
  const b1 = c(x, 'branch1x1');
  const b5 = c(c(x, 'branch5x5_1'), 'branch5x5_2');
  const b3 = c(c(c(x, 'branch3x3dbl_1'), 'branch3x3dbl_2'), 'branch3x3dbl_3');
  const bp = c(avgPool3x3ExcludePad(x), 'branch_pool');
  return concatChannels([b1, b5, b3, bp]);
}
