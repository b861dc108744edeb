import * as tf from '@tensorflow/tfjs-core';
import { AvgPool2, BlurPool, EqConv2d, EqDense, Module, ResBlock } from '@th/layers';
import type { LsrConfig } from '../config/config';
import { encoderSchedule } from './schedule';

/**
 * Style encoder E^s and layout encoder E^l (same architecture, separate weights;
 * docs/design.md#encoders):
 *
 *   [RGB ⊕ landmarks] → EqConv7x7(6→32)+ReLU → [pool → ResBlock(no norm, ReLU)] × downsamples
 *   → ReLU → flatten → EqDense(→ latent)
 *
 * Pooling is 2x2 average before each ResBlock (released code) or blur-pool (supplement,
 * docs/design.md#encoder-pooling).
 * At 224 with 6 stages the last feature map is 3x3x512 and the latent has 512 dims.
 */
export class Encoder extends Module {
  readonly stem: EqConv2d;
  readonly blocks: ResBlock[];
  readonly fc: EqDense;
  private readonly pool: AvgPool2 | BlurPool;

  constructor(readonly config: LsrConfig) {
    super();
    const s = encoderSchedule(config);
    this.stem = this.child(
      'stem',
      new EqConv2d({ inChannels: 6, outChannels: s.stem, kernelSize: 7 }),
    );
    this.blocks = s.stages.map((st, i) =>
      this.child(
        `block${i + 1}`,
        new ResBlock({
          inChannels: st.inChannels,
          outChannels: st.outChannels,
          norm: 'none',
          activation: 'relu',
        }),
      ),
    );
    this.fc = this.child(
      'fc',
      new EqDense({ inFeatures: s.flatFeatures, outFeatures: config.latentDim }),
    );
    this.pool =
      config.encoder.pooling === 'average'
        ? new AvgPool2()
        : new BlurPool({ filterSize: 3, padding: 'same', stride: 2 });
  }

  /** `x`: [N, H, W, 6] = RGB ⊕ landmark image in [-1, 1]; returns latents [N, latentDim]. */
  forward(x: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = tf.relu(this.stem.forward(x)) as tf.Tensor4D;
      for (const block of this.blocks) h = block.forward(this.pool.forward(h));
      const flat = tf.reshape(tf.relu(h), [h.shape[0], -1]) as tf.Tensor2D;
      return this.fc.forward(flat);
    });
  }
}
