import type * as tf from '@tensorflow/tfjs-core';
import { basicConv, concatChannels, maxPool3x3Stride2 } from './inception-ops';
import type { InceptionWeights } from './inception-weights';

/**
 * Mixed_6a, torchvision's InceptionB (unchanged in pytorch-fid): a grid reduction, 35 → 17 at
 * 299 input. Branches: 3x3 stride 2; 1x1 → 3x3 → 3x3 stride 2; 3x3 stride-2 max pool.
 */
export function inceptionBlockB(x: tf.Tensor4D, w: InceptionWeights, name: string): tf.Tensor4D {
  const c = (input: tf.Tensor4D, layer: string) => basicConv(input, w, `${name}.${layer}`);
  const b3 = c(x, 'branch3x3');
  const b3d = c(c(c(x, 'branch3x3dbl_1'), 'branch3x3dbl_2'), 'branch3x3dbl_3');
  return concatChannels([b3, b3d, maxPool3x3Stride2(x)]);
}
