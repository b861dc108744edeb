import * as tf from '@tensorflow/tfjs-core';
import { inceptionBlockA } from './inception-block-a';
import { inceptionBlockB } from './inception-block-b';
import { inceptionBlockC } from './inception-block-c';
import { inceptionBlockD } from './inception-block-d';
import { inceptionBlockE } from './inception-block-e';
import { basicConv, maxPool3x3Stride2 } from './inception-ops';
import type { InceptionWeights } from './inception-weights';

/** Smallest input side the stem and the two reductions accept (as for torchvision's v3). */
export const INCEPTION_MIN_SIZE = 75;

/**
 * The FID Inception-v3 forward pass up to pool_3: NHWC images already scaled to [−1, 1]
 * → [N, 2048]. Stem: 3x3/2, 3x3, 3x3 (pad 1), 3x3/2 max pool, 1x1, 3x3, 3x3/2 max pool; then
 * Mixed_5b..5d (A), 6a (B), 6b..6e (C), 7a (D), 7b (E, avg pool), 7c (E, max pool); pool_3 is
 * the global spatial average. At 299 x 299 the grids are 147 → 73 → 71 → 35 → 17 → 8.
 */
export function inceptionPool3(x: tf.Tensor4D, w: InceptionWeights): tf.Tensor2D {
  const [, h, wd, ch] = x.shape;
  if (ch !== 3) throw new Error(`inceptionPool3: expects 3 channels, got ${ch}`);
  if (h < INCEPTION_MIN_SIZE || wd < INCEPTION_MIN_SIZE) {
    throw new Error(
      `inceptionPool3: input ${h}x${wd} is smaller than ${INCEPTION_MIN_SIZE}x${INCEPTION_MIN_SIZE}`,
    );
  }
  return tf.tidy(() => {
    let y = basicConv(x, w, 'Conv2d_1a_3x3');
    y = basicConv(y, w, 'Conv2d_2a_3x3');
    y = maxPool3x3Stride2(basicConv(y, w, 'Conv2d_2b_3x3'));
    y = basicConv(y, w, 'Conv2d_3b_1x1');
    y = maxPool3x3Stride2(basicConv(y, w, 'Conv2d_4a_3x3'));
    for (const name of ['Mixed_5b', 'Mixed_5c', 'Mixed_5d']) y = inceptionBlockA(y, w, name);
    y = inceptionBlockB(y, w, 'Mixed_6a');
    for (const name of ['Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e'])
      y = inceptionBlockC(y, w, name);
    y = inceptionBlockD(y, w, 'Mixed_7a');
    y = inceptionBlockE(y, w, 'Mixed_7b', 'avg');
    y = inceptionBlockE(y, w, 'Mixed_7c', 'max');
    return tf.mean(y, [1, 2]) as tf.Tensor2D;
  });
}
