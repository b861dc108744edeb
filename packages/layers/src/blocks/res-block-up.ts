import * as tf from '@tensorflow/tfjs-core';
import { AdaIN } from '../layers/adain';
import { checkPositiveInt, EqConv2d } from '../layers/eq-conv2d';
import { UpsampleBilinear2x } from '../layers/resampling';
import { Module } from '../module/module';
import { type ActivationName, applyActivation, checkChannels, LEAKY_SLOPE } from './activation';

export interface ResBlockUpOptions {
  inChannels: number;
  outChannels: number;
  /** Length of the latent that drives both AdaIN layers (LSR z^l: 512). */
  latentDim: number;
  /** Default 'lrelu'. */
  activation?: ActivationName;
  /** Instance-norm epsilon of the AdaIN layers (default 1e-3). */
  epsilon?: number;
}

/**
 * Pre-activation residual upsampling block with AdaIN (LSR `ResBlockUp`, U-Net decoder of G^l):
 *
 *   main = conv2(act(AdaIN2(conv1(up2(act(AdaIN1(x; z)))); z)))
 *          conv1: 3x3 C_in->C_out, conv2: 3x3 C_out->C_out
 *   skip = EqConv1x1(up2(x); C_in->C_out, no bias)   (always present)
 *   out  = main + skip,  up2 = x2 bilinear (half-pixel centres).
 * Each AdaIN has its own EqDense(latentDim -> 2C). Children: norm1, conv1, norm2, conv2, skip.
 */
export class ResBlockUp extends Module {
  readonly norm1: AdaIN;
  readonly conv1: EqConv2d;
  readonly norm2: AdaIN;
  readonly conv2: EqConv2d;
  readonly skip: EqConv2d;
  readonly activation: ActivationName;
  private readonly up = new UpsampleBilinear2x();

  constructor(readonly options: ResBlockUpOptions) {
    super();
    const { inChannels, outChannels, latentDim, epsilon } = options;
    checkPositiveInt('ResBlockUp', { inChannels, outChannels, latentDim });
    this.activation = options.activation ?? 'lrelu';
    if (this.activation !== 'relu' && this.activation !== 'lrelu') {
      throw new Error(`ResBlockUp: activation must be 'relu' or 'lrelu', got "${this.activation}"`);
    }
    const adain = (channels: number) =>
      new AdaIN({ channels, latentDim, ...(epsilon !== undefined && { epsilon }) });
    this.norm1 = this.child('norm1', adain(inChannels));
    this.conv1 = this.child('conv1', new EqConv2d({ inChannels, outChannels, kernelSize: 3 }));
    this.norm2 = this.child('norm2', adain(outChannels));
    this.conv2 = this.child(
      'conv2',
      new EqConv2d({ inChannels: outChannels, outChannels, kernelSize: 3 }),
    );
    this.skip = this.child(
      'skip',
      new EqConv2d({ inChannels, outChannels, kernelSize: 1, bias: false }),
    );
  }

  /** x: [N,H,W,C_in], z: [N, latentDim] -> [N,2H,2W,C_out]. */
  forward(x: tf.Tensor4D, z: tf.Tensor2D): tf.Tensor4D {
    checkChannels('ResBlockUp', x, this.options.inChannels);
    return tf.tidy(() => {
      // act(AdaIN(t)); leaky ReLU fused with the modulation where possible.
      const pre = (norm: AdaIN, t: tf.Tensor4D) =>
        this.activation === 'lrelu'
          ? norm.forward(t, z, LEAKY_SLOPE)
          : applyActivation(this.activation, norm.forward(t, z));
      const h = this.conv1.forward(this.up.forward(pre(this.norm1, x)));
      const skip = this.skip.forward(this.up.forward(x));
      // main + skip, the add as conv2's epilogue.
      return this.conv2.forward(pre(this.norm2, h), { residual: skip });
    });
  }
}
