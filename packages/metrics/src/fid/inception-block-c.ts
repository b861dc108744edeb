import type * as tf from '@tensorflow/tfjs-core';
import { avgPool3x3ExcludePad, basicConv, concatChannels } from './inception-ops';
import type { InceptionWeights } from './inception-weights';

/**
 * Mixed_6b..e, pytorch-fid's FIDInceptionC: 7x7 convolutions factorised into 1x7 and 7x1.
 * Branches: 1x1; 1x1 → 1x7 → 7x1; 1x1 → 7x1 → 1x7 → 7x1 → 1x7; 3x3 average pool (padding not
 * counted) → 1x1. 768 channels in and out.
 */
export function inceptionBlockC(x: tf.Tensor4D, w: InceptionWeights, name: string): tf.Tensor4D {
  const c = (input: tf.Tensor4D, layer: string) => basicConv(input, w, `${name}.${layer}`);
  const b1 = c(x, 'branch1x1');
  const b7 = c(c(c(x, 'branch7x7_1'), 'branch7x7_2'), 'branch7x7_3');
  let b7d = c(x, 'branch7x7dbl_1');
  for (const layer of ['branch7x7dbl_2', 'branch7x7dbl_3', 'branch7x7dbl_4', 'branch7x7dbl_5'])
    b7d = c(b7d, layer);
  const bp = c(avgPool3x3ExcludePad(x), 'branch_pool');
  return concatChannels([b1, b7, b7d, bp]);
}
