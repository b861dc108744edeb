import type * as tf from '@tensorflow/tfjs-core';
import { basicConv, concatChannels, maxPool3x3Stride2 } from './inception-ops';
import type { InceptionWeights } from './inception-weights';

/**
 * Mixed_7a, torchvision's InceptionD (unchanged in pytorch-fid): grid reduction 17 → 8 at 299
 * input. Branches: 1x1 → 3x3 stride 2; 1x1 → 1x7 → 7x1 → 3x3 stride 2; 3x3 stride-2 max pool.
 */
export function inceptionBlockD(x: tf.Tensor4D, w: InceptionWeights, name: string): tf.Tensor4D {
  const c = (input: tf.Tensor4D, layer: string) => basicConv(input, w, `${name}.${layer}`);
  const b3 = c(c(x, 'branch3x3_1'), 'branch3x3_2');
  let b7 = c(x, 'branch7x7x3_1');
  for (const layer of ['branch7x7x3_2', 'branch7x7x3_3', 'branch7x7x3_4']) b7 = c(b7, layer);
  return concatChannels([b3, b7, maxPool3x3Stride2(x)]);
}
