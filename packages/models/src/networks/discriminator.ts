import * as tf from '@tensorflow/tfjs-core';
import { leakyRelu } from '@th/backend';
import { EqConv2d, EqDense, Module, ResBlockDown } from '@th/layers';
import type { LsrConfig } from '../config/config';
import { discriminatorSchedule } from './schedule';

/**
 * Discriminator D, StyleGAN2-like residual network conditioned by concatenation
 * (docs/design.md#discriminator):
 *
 *   [image ⊕ landmarks] → EqConv1x1+LReLU → ResBlockDown(no norm, LReLU, ×1/√2) × downsamples
 *   → LReLU → EqConv3x3+LReLU → flatten → EqDense+LReLU → EqConv1x1 → logit
 *
 * No minibatch-stddev. Built only from R1-safe ops (EqConv, leaky ReLU, blur-pool, reshape), so
 * the R1/R2 penalties' second-order gradients are correct on every backend.
 */
export class Discriminator extends Module {
  readonly fromRgb: EqConv2d;
  readonly blocks: ResBlockDown[];
  readonly conv: EqConv2d;
  readonly fc: EqDense;
  readonly out: EqConv2d;

  constructor(readonly config: LsrConfig) {
    super();
    const s = discriminatorSchedule(config);
    this.fromRgb = this.child(
      'fromRgb',
      new EqConv2d({ inChannels: 6, outChannels: s.fromRgb, kernelSize: 1 }),
    );
    this.blocks = s.stages.map((st, i) =>
      this.child(
        `block${i + 1}`,
        new ResBlockDown({
          inChannels: st.inChannels,
          outChannels: st.outChannels,
          norm: 'none',
          activation: 'lrelu',
          outputScale: Math.SQRT1_2,
        }),
      ),
    );
    const c = s.finalChannels;
    this.conv = this.child('conv', new EqConv2d({ inChannels: c, outChannels: c, kernelSize: 3 }));
    this.fc = this.child(
      'fc',
      new EqDense({ inFeatures: s.finalSize * s.finalSize * c, outFeatures: c }),
    );
    this.out = this.child('out', new EqConv2d({ inChannels: c, outChannels: 1, kernelSize: 1 }));
  }

  /** `image`, `landmarks`: [N, H, W, 3] in [-1, 1]; returns logits [N, 1]. */
  forward(image: tf.Tensor4D, landmarks: tf.Tensor4D): tf.Tensor2D {
    const a = this.config.leakySlope;
    return tf.tidy(() => {
      let h = leakyRelu(this.fromRgb.forward(tf.concat([image, landmarks], 3)), a) as tf.Tensor4D;
      for (const block of this.blocks) h = block.forward(h);
      h = leakyRelu(this.conv.forward(leakyRelu(h, a) as tf.Tensor4D), a) as tf.Tensor4D;
      const f = leakyRelu(this.fc.forward(tf.reshape(h, [h.shape[0], -1])), a);
      return tf.reshape(this.out.forward(tf.reshape(f, [f.shape[0], 1, 1, -1])), [f.shape[0], 1]);
    });
  }
}
