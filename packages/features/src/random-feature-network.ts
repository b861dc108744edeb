import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@th/backend';
import { caffePreprocess } from './caffe-preprocess';
import type { FeatureNetwork } from './feature-network';

export interface RandomFeatureNetworkOptions {
  /** Names given to the feature maps (one level per name). Default: 5 levels `proxy_level1..5`. */
  layers?: readonly string[];
  /** Channels of each level; default 16, 32, 64, 64, 64, ... */
  channels?: readonly number[];
  /** Receives the one-time line announcing that a proxy is in use. Default: console.warn. */
  log?: (line: string) => void;
}

/**
 * A PROXY for VGG-style feature networks, for when no pretrained weights are available (none
 * exist offline): a fixed random conv pyramid. Level i = ReLU(conv3x3(level i-1, He-normal
 * weights from `seed`)), then 2x2 mean pooling before the next level (reshape + mean, which is
 * second-order safe). Input gets the same caffe preprocessing as VGG, scaled by 1/128 so the
 * random features stay O(1).
 *
 * Untrained conv features still respond to edges and texture, so they give a weak perceptual
 * signal, but they are NOT VGG: `isProxy` is true and the first `extract` logs that a proxy is in
 * use, so results are never mistaken for the paper's.
 */
export function randomFeatureNetwork(
  seed: number,
  options: RandomFeatureNetworkOptions = {},
): FeatureNetwork & {
  dispose(): void;
} {
  const layers = options.layers ?? [
    'proxy_level1',
    'proxy_level2',
    'proxy_level3',
    'proxy_level4',
    'proxy_level5',
  ];
  if (layers.length === 0) throw new Error('randomFeatureNetwork: needs at least one layer name');
  const channels = layers.map((_, i) => options.channels?.[i] ?? Math.min(64, 16 * 2 ** i));
  const log = options.log ?? ((line: string) => console.warn(line));
  const name = `random-features-proxy(seed=${seed})`;
  const rng = createRng(seed);
  const kernels: tf.Tensor4D[] = [];
  let inChannels = 3;
  for (const out of channels) {
    const std = Math.sqrt(2 / (9 * inChannels));
    kernels.push(tf.tensor4d(rng.normalArray(9 * inChannels * out, std), [3, 3, inChannels, out]));
    inChannels = out;
  }
  let announced = false;
  return {
    name,
    isProxy: true,
    layers: [...layers],
    extract(images) {
      if (!announced) {
        announced = true;
        log(
          `[@th/train] PROXY perceptual features: ${name} stands in for a pretrained network; losses are not comparable to the paper's`,
        );
      }
      // Returned from tidy (not tf.keep'd), so an enclosing tidy still owns and frees them.
      return tf.tidy(() => {
        const outputs: tf.Tensor4D[] = [];
        let x = tf.mul(caffePreprocess(images), 1 / 128) as tf.Tensor4D;
        kernels.forEach((kernel, i) => {
          if (i > 0) x = meanPool2(x);
          x = tf.relu(tf.conv2d(x, kernel, 1, 'same'));
          outputs.push(x);
        });
        return outputs;
      });
    },
    dispose() {
      for (const k of kernels) k.dispose();
    },
  };
}

/** 2x2 mean pooling as reshape + mean (odd trailing rows/columns are dropped). */
function meanPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const h2 = Math.floor(h / 2);
  const w2 = Math.floor(w / 2);
  if (h2 === 0 || w2 === 0) return x;
  const cropped = h % 2 || w % 2 ? tf.slice(x, [0, 0, 0, 0], [n, 2 * h2, 2 * w2, c]) : x;
  return tf.mean(tf.reshape(cropped, [n, h2, 2, w2, 2, c]), [2, 4]) as tf.Tensor4D;
}
