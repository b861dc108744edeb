import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt, EqConv2d } from '../layers/eq-conv2d';
import type { LayoutPyramid } from '../layers/layout-pyramid';
import { SPADE } from '../layers/spade';
import { Module } from '../module/module';
import { checkChannels, LEAKY_SLOPE } from './activation';

export interface SPADEResBlockOptions {
  inChannels: number;
  outChannels: number;
  /** Layout channels (LSR: 19). */
  labelChannels: number;
  /** Hidden width of each SPADE (LSR 64). */
  hidden?: number;
  /** Instance-norm epsilon (LSR 1e-3). */
  epsilon?: number;
}

/**
 * SPADE residual block (Park et al. 2019 `SPADEResnetBlock`; LSR `SPADEResBlock`), with
 * C_mid = min(C_in, C_out) and leaky ReLU 0.2:
 *
 *   main = conv2(lrelu(SPADE2(conv1(lrelu(SPADE1(x; L))); L)))
 *          conv1: 3x3 C_in->C_mid (bias), conv2: 3x3 C_mid->C_out (bias)
 *   skip = x if C_in == C_out, else EqConv1x1(SPADE_s(x; L); C_in->C_out, no bias, no activation)
 *   out  = main + skip.
 * Each SPADE has its own hidden conv. Children: norm1, conv1, norm2, conv2 [, normSkip, skip].
 */
export class SPADEResBlock extends Module {
  readonly norm1: SPADE;
  readonly conv1: EqConv2d;
  readonly norm2: SPADE;
  readonly conv2: EqConv2d;
  readonly normSkip: SPADE | null;
  readonly skip: EqConv2d | null;

  constructor(readonly options: SPADEResBlockOptions) {
    super();
    const { inChannels, outChannels, labelChannels, hidden, epsilon } = options;
    checkPositiveInt('SPADEResBlock', { inChannels, outChannels, labelChannels });
    const mid = Math.min(inChannels, outChannels);
    const spade = (channels: number) =>
      new SPADE({
        channels,
        labelChannels,
        ...(hidden !== undefined && { hidden }),
        ...(epsilon !== undefined && { epsilon }),
      });
    this.norm1 = this.child('norm1', spade(inChannels));
    this.conv1 = this.child('conv1', new EqConv2d({ inChannels, outChannels: mid, kernelSize: 3 }));
    this.norm2 = this.child('norm2', spade(mid));
    this.conv2 = this.child('conv2', new EqConv2d({ inChannels: mid, outChannels, kernelSize: 3 }));
    const learnedSkip = inChannels !== outChannels;
    this.normSkip = learnedSkip ? this.child('normSkip', spade(inChannels)) : null;
    this.skip = learnedSkip
      ? this.child('skip', new EqConv2d({ inChannels, outChannels, kernelSize: 1, bias: false }))
      : null;
  }

  /** x: [N,H,W,C_in]; `layout` must hold an H x W level. */
  forward(x: tf.Tensor4D, layout: LayoutPyramid): tf.Tensor4D {
    checkChannels('SPADEResBlock', x, this.options.inChannels);
    return tf.tidy(() => {
      // Leaky ReLU after each SPADE: one kernel with the modulation where fused.
      const h = this.conv1.forward(this.norm1.forward(x, layout, LEAKY_SLOPE));
      const skip =
        this.skip && this.normSkip ? this.skip.forward(this.normSkip.forward(x, layout)) : x;
      // main + skip: the add is conv2's epilogue (one kernel with it in WebGPU inference).
      return this.conv2.forward(this.norm2.forward(h, layout, LEAKY_SLOPE), { residual: skip });
    });
  }
}
