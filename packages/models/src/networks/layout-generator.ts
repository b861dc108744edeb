import * as tf from '@tensorflow/tfjs-core';
import { EqConv2d, Module, ResBlockDown, ResBlockUp } from '@th/layers';
import type { LsrConfig } from '../config/config';
import { layoutGeneratorSchedule } from './schedule';

export interface LayoutGeneratorOutput {
  /** [N, H, W, k] layout logits (k = 19). */
  logits: tf.Tensor4D;
  /** [N, H, W, 3] auxiliary RGB (stage-1 multi-task head; linear). */
  auxRgb: tf.Tensor4D;
}

/**
 * Layout generator G^l: a residual U-Net on the target landmark image (docs/design.md#gl-unet).
 * Encoder:
 * ResBlockDown with instance norm and leaky ReLU (no input conv). Decoder: ResBlockUp whose two
 * AdaIN layers take z^l, each followed by concatenation [upsampled, skip]. Output: EqConv3x3
 * (gain 1, linear) to k layout logits + 3 auxiliary RGB channels.
 */
export class LayoutGenerator extends Module {
  readonly down: ResBlockDown[];
  readonly up: ResBlockUp[];
  readonly out: EqConv2d;

  constructor(readonly config: LsrConfig) {
    super();
    const s = layoutGeneratorSchedule(config);
    this.down = s.down.map((st, i) =>
      this.child(
        `down${i + 1}`,
        new ResBlockDown({
          inChannels: st.inChannels,
          outChannels: st.outChannels,
          norm: 'instance',
          activation: 'lrelu',
        }),
      ),
    );
    this.up = s.up.map((st, j) =>
      this.child(
        `up${j + 1}`,
        new ResBlockUp({
          inChannels: st.inChannels,
          outChannels: st.outChannels,
          latentDim: config.latentDim,
          epsilon: config.normEpsilon,
        }),
      ),
    );
    const last = s.up[s.up.length - 1]!;
    this.out = this.child(
      'out',
      new EqConv2d({
        inChannels: last.outChannels,
        outChannels: s.outChannels,
        kernelSize: 3,
        gain: 1,
      }),
    );
  }

  /** `landmarks`: [N, H, W, 3] in [-1, 1]; `zl`: [N, latentDim]. */
  forward(landmarks: tf.Tensor4D, zl: tf.Tensor2D): LayoutGeneratorOutput {
    return tf.tidy(() => {
      const skips: tf.Tensor4D[] = [];
      let h = landmarks;
      for (const block of this.down) {
        h = block.forward(h);
        skips.push(h);
      }
      skips.pop(); // the bottleneck output is the decoder's input, not a skip
      for (const block of this.up) {
        h = block.forward(h, zl);
        const skip = skips.pop();
        if (skip) h = tf.concat([h, skip], 3);
      }
      const out = this.out.forward(h);
      const k = this.config.layoutClasses;
      const logits = tf.slice(out, [0, 0, 0, 0], [-1, -1, -1, k]) as tf.Tensor4D;
      const auxRgb = tf.slice(out, [0, 0, 0, k], [-1, -1, -1, -1]) as tf.Tensor4D;
      return { logits, auxRgb };
    });
  }
}
