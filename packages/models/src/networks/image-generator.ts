import * as tf from '@tensorflow/tfjs-core';
import { leakyRelu } from '@th/backend';
import {
  EqConv2d,
  EqDense,
  LayoutPyramid,
  Module,
  SPADEResBlock,
  UpsampleBilinear2x,
} from '@th/layers';
import type { LsrConfig } from '../config/config';
import { imageGeneratorSchedule } from './schedule';

/**
 * Image generator G^I, LSR's modified SPADE generator (docs/design.md#gi-spade): EqDense z^s →
 * start tensor
 * (7x7x512 at 224), one SPADE residual block per level with x2 bilinear upsampling between
 * levels, every SPADE driven by the layout box-averaged to its resolution (one shared pyramid),
 * then leaky ReLU → EqConv3x3 (gain 1) → linear RGB (no tanh; clip only for display).
 */
export class ImageGenerator extends Module {
  readonly fc: EqDense;
  readonly blocks: SPADEResBlock[];
  readonly out: EqConv2d;
  private readonly up = new UpsampleBilinear2x();
  private readonly start: number;
  private readonly startChannels: number;

  constructor(readonly config: LsrConfig) {
    super();
    const s = imageGeneratorSchedule(config);
    this.start = s.start;
    this.startChannels = s.startChannels;
    this.fc = this.child(
      'fc',
      new EqDense({
        inFeatures: config.latentDim,
        outFeatures: s.start * s.start * s.startChannels,
      }),
    );
    const hidden = config.imageGenerator.spadeHidden;
    this.blocks = s.blocks.map((b, r) =>
      this.child(
        `block${r}`,
        new SPADEResBlock({
          inChannels: b.inChannels,
          outChannels: b.outChannels,
          labelChannels: s.labelChannels,
          hidden,
          epsilon: config.normEpsilon,
        }),
      ),
    );
    const last = s.blocks[s.blocks.length - 1]!;
    this.out = this.child(
      'out',
      new EqConv2d({ inChannels: last.outChannels, outChannels: 3, kernelSize: 3, gain: 1 }),
    );
  }

  /**
   * `zs`: [N, latentDim]; `layout`: [N, H, W, k] probabilities; `landmarks` ([N, H, W, 3]) is
   * required when `spadeInput` is 'layout+landmarks' (concatenated first, as the code does).
   */
  forward(zs: tf.Tensor2D, layout: tf.Tensor4D, landmarks?: tf.Tensor4D): tf.Tensor4D {
    const withLandmarks = this.config.imageGenerator.spadeInput === 'layout+landmarks';
    if (withLandmarks && !landmarks)
      throw new Error(
        'ImageGenerator: spadeInput "layout+landmarks" needs the target landmark image',
      );
    return tf.tidy(() => {
      const label = withLandmarks ? (tf.concat([landmarks!, layout], 3) as tf.Tensor4D) : layout;
      const pyramid = new LayoutPyramid(label);
      let h = tf.reshape(this.fc.forward(zs), [
        zs.shape[0],
        this.start,
        this.start,
        this.startChannels,
      ]) as tf.Tensor4D;
      this.blocks.forEach((block, r) => {
        if (r > 0) h = this.up.forward(h);
        h = block.forward(h, pyramid);
      });
      return this.out.forward(leakyRelu(h, this.config.leakySlope) as tf.Tensor4D);
    });
  }
}
