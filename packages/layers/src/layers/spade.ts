import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../module/module';
import { checkPositiveInt, EqConv2d } from './eq-conv2d';
import { LSR_INSTANCE_NORM_EPSILON, modulate } from './instance-norm';
import type { LayoutPyramid } from './layout-pyramid';

export interface SPADEOptions {
  /** Channels C of the normalised feature map. */
  channels: number;
  /** Channels of the layout (LSR: 19 classes). */
  labelChannels: number;
  /** Width of the shared hidden conv (LSR 64; original SPADE 128). */
  hidden?: number;
  /** Instance-norm epsilon (LSR 1e-3). */
  epsilon?: number;
}

/**
 * Spatially-adaptive normalisation (Park et al., CVPR 2019), in LSR's variant
 * (`SPADENormalization`): with L the layout box-averaged to x's resolution,
 *
 *   h     = ReLU(EqConv3x3(L -> hidden) + b)
 *   gamma = EqConv3x3(h -> C) + b,  beta = EqConv3x3(h -> C) + b
 *   out   = IN(x) * (1 + gamma) + beta.
 *
 * Differences from the original: instance norm (eps 1e-3) instead of synchronised batch norm,
 * equalized-LR convs instead of spectral norm, box-averaged instead of nearest-resized layout,
 * hidden width 64. Children: `shared`, `gamma`, `beta`.
 */
export class SPADE extends Module {
  readonly shared: EqConv2d;
  readonly gamma: EqConv2d;
  readonly beta: EqConv2d;
  readonly epsilon: number;

  constructor(readonly options: SPADEOptions) {
    super();
    const hidden = options.hidden ?? 64;
    const { channels, labelChannels } = options;
    checkPositiveInt('SPADE', { channels, labelChannels, hidden });
    this.epsilon = options.epsilon ?? LSR_INSTANCE_NORM_EPSILON;
    const conv = (inChannels: number, outChannels: number) =>
      new EqConv2d({ inChannels, outChannels, kernelSize: 3 });
    this.shared = this.child('shared', conv(labelChannels, hidden));
    this.gamma = this.child('gamma', conv(hidden, channels));
    this.beta = this.child('beta', conv(hidden, channels));
  }

  /**
   * x: [N,H,W,C]; the layout comes from `layout.at(H, W)`. With `leakySlope`, leaky ReLU
   * follows (the residual block's pre-activation, fused with the modulation where possible).
   */
  forward(x: tf.Tensor4D, layout: LayoutPyramid, leakySlope?: number): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== this.options.channels) {
      throw new Error(
        `SPADE: expected NHWC input with ${this.options.channels} channels, got [${x.shape}]`,
      );
    }
    if (layout.channels !== this.options.labelChannels) {
      throw new Error(
        `SPADE: layout has ${layout.channels} channels, expected ${this.options.labelChannels}`,
      );
    }
    return tf.tidy(() => {
      const label = layout.at(x.shape[1], x.shape[2]);
      const h = this.shared.forward(label, { activation: 'relu' });
      return modulate(x, this.gamma.forward(h), this.beta.forward(h), this.epsilon, leakySlope);
    });
  }
}
