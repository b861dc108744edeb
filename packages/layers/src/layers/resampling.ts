import type * as tf from '@tensorflow/tfjs-core';
import { avgPool2, blurPool, leakyRelu, upsampleBilinear2x } from '@th/backend';

/** Padding of a blur-pool: TF 'SAME' zero padding (LSR), or symmetric reflect/zero ([AA]). */
export type BlurPadding = 'same' | 'reflect' | 'zero';

export interface BlurPoolOptions {
  /** Binomial filter length 1..7 (LSR 3 = [1,2,1]; antialiased-cnns default 4). */
  filterSize?: number;
  /** Default 'same' (LSR). */
  padding?: BlurPadding;
  /** Default 2. */
  stride?: number;
}

/**
 * Anti-aliased downsampling (Zhang, ICML 2019): depthwise convolution with the normalised outer
 * product of a binomial row, then subsampling by the stride. LSR: [1,2,1] (Tri-3), stride 2, TF
 * 'SAME' zero padding (0 before / 1 after for even sizes). Runs on `@th/backend`'s `blurPool`,
 * whose backward pass uses only plain convolutions, so nested gradients (R1) are correct.
 */
export class BlurPool {
  constructor(readonly options: BlurPoolOptions = {}) {
    const f = options.filterSize ?? 3;
    if (!Number.isInteger(f) || f < 1 || f > 7) {
      throw new Error(`BlurPool: filterSize must be an integer in 1..7, got ${f}`);
    }
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    return blurPool(x, {
      filterSize: this.options.filterSize ?? 3,
      padding: this.options.padding ?? 'same',
      stride: this.options.stride ?? 2,
    }) as tf.Tensor4D;
  }
}

/** 2x2 average pooling, stride 2, VALID (7 -> 3), as a reshape-and-mean (R1-safe). */
export class AvgPool2 {
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return avgPool2(x) as tf.Tensor4D;
  }
}

/**
 * x2 bilinear upsampling with half-pixel centres, i.e. TF2 `resize`/Keras `UpSampling2D`
 * ('bilinear'): output pixel i samples input coordinate (i + 0.5)/2 - 0.5, clamped at the edges.
 * Equal to `tf.image.resizeBilinear(x, [2H, 2W], false, true)`.
 */
export class UpsampleBilinear2x {
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return upsampleBilinear2x(x) as tf.Tensor4D;
  }
}

/** Leaky ReLU, max(x, alpha x) for alpha in [0,1); LSR uses alpha = 0.2 everywhere. */
export class LeakyReLU {
  constructor(readonly alpha = 0.2) {
    if (!(alpha >= 0 && alpha < 1))
      throw new Error(`LeakyReLU: alpha must be in [0, 1), got ${alpha}`);
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    return leakyRelu(x, this.alpha) as tf.Tensor4D;
  }
}
