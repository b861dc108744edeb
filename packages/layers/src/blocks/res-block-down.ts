import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt, EqConv2d } from '../layers/eq-conv2d';
import { BlurPool } from '../layers/resampling';
import { Module } from '../module/module';
import {
  type ActivationName,
  checkChannels,
  checkNormAndActivation,
  type NormName,
  normThenActivate,
} from './activation';

export interface ResBlockDownOptions {
  inChannels: number;
  outChannels: number;
  /** 'instance' in the U-Net encoder, 'none' in the discriminator. Default 'none'. */
  norm?: NormName;
  /** Default 'lrelu'. */
  activation?: ActivationName;
  /** Output multiplier m: 1 in the U-Net (default), 1/sqrt(2) in the discriminator. */
  outputScale?: number;
}

/**
 * Pre-activation residual downsampling block (LSR `ResBlockDown`; U-Net encoder of G^l and D):
 *
 *   main = blur(conv2(act(norm(conv1(act(norm(x)))))))  conv1: 3x3 C_in->C_in, conv2: 3x3 C_in->C_out
 *   skip = blur(EqConv1x1(x; C_in->C_out, no bias))     (always present)
 *   out  = (main + skip) * m
 *
 * blur = [1,2,1] blur-pool, stride 2, TF 'SAME' zero padding; being linear, it is applied once
 * to the sum of the two unblurred branches. With norm 'none' every op is
 * R1-safe (EqConv, leaky ReLU, blur-pool from @th/backend), as the discriminator requires.
 */
export class ResBlockDown extends Module {
  readonly conv1: EqConv2d;
  readonly conv2: EqConv2d;
  readonly skip: EqConv2d;
  readonly norm: NormName;
  readonly activation: ActivationName;
  readonly outputScale: number;
  private readonly blur = new BlurPool({ filterSize: 3, padding: 'same', stride: 2 });

  constructor(readonly options: ResBlockDownOptions) {
    super();
    const { inChannels, outChannels } = options;
    checkPositiveInt('ResBlockDown', { inChannels, outChannels });
    this.norm = options.norm ?? 'none';
    this.activation = options.activation ?? 'lrelu';
    checkNormAndActivation('ResBlockDown', this.norm, this.activation);
    this.outputScale = options.outputScale ?? 1;
    if (!Number.isFinite(this.outputScale)) {
      throw new Error(`ResBlockDown: outputScale must be finite, got ${this.outputScale}`);
    }
    this.conv1 = this.child(
      'conv1',
      new EqConv2d({ inChannels, outChannels: inChannels, kernelSize: 3 }),
    );
    this.conv2 = this.child('conv2', new EqConv2d({ inChannels, outChannels, kernelSize: 3 }));
    this.skip = this.child(
      'skip',
      new EqConv2d({ inChannels, outChannels, kernelSize: 1, bias: false }),
    );
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    checkChannels('ResBlockDown', x, this.options.inChannels);
    return tf.tidy(() => {
      const pre = (t: tf.Tensor4D) => normThenActivate(this.norm, this.activation, t);
      // blur(main) + blur(skip) computed as blur(main + skip) (the blur is linear): one blur
      // instead of two, and the add is conv2's epilogue (one kernel with it in inference).
      const skip = this.skip.forward(x);
      const main = this.conv2.forward(pre(this.conv1.forward(pre(x))), { residual: skip });
      const sum = this.blur.forward(main);
      return this.outputScale === 1 ? sum : tf.mul(sum, this.outputScale);
    });
  }
}
