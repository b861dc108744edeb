import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt, EqConv2d } from '../layers/eq-conv2d';
import { Module } from '../module/module';
import {
  type ActivationName,
  checkChannels,
  checkNormAndActivation,
  type NormName,
  normThenActivate,
} from './activation';

export interface ResBlockOptions {
  inChannels: number;
  outChannels: number;
  /** Default 'none' (LSR encoders). */
  norm?: NormName;
  /** Default 'relu' (LSR encoders). */
  activation?: ActivationName;
}

/**
 * Pre-activation residual block without resampling (LSR `ResBlock`, used by the encoders E^s and
 * E^l), with C_mid = min(C_in, C_out):
 *
 *   main = conv2(act(norm(conv1(act(norm(x))))))   conv1: 3x3 C_in->C_mid, conv2: 3x3 C_mid->C_out
 *   skip = x if C_in == C_out, else EqConv1x1(C_in->C_out, no bias)
 *   out  = main + skip.
 */
export class ResBlock extends Module {
  readonly conv1: EqConv2d;
  readonly conv2: EqConv2d;
  readonly skip: EqConv2d | null;
  readonly norm: NormName;
  readonly activation: ActivationName;

  constructor(readonly options: ResBlockOptions) {
    super();
    const { inChannels, outChannels } = options;
    checkPositiveInt('ResBlock', { inChannels, outChannels });
    this.norm = options.norm ?? 'none';
    this.activation = options.activation ?? 'relu';
    checkNormAndActivation('ResBlock', this.norm, this.activation);
    const mid = Math.min(inChannels, outChannels);
    this.conv1 = this.child('conv1', new EqConv2d({ inChannels, outChannels: mid, kernelSize: 3 }));
    this.conv2 = this.child('conv2', new EqConv2d({ inChannels: mid, outChannels, kernelSize: 3 }));
    this.skip =
      inChannels === outChannels
        ? null
        : this.child('skip', new EqConv2d({ inChannels, outChannels, kernelSize: 1, bias: false }));
  }

  forward(x: tf.Tensor4D): tf.Tensor4D {
    checkChannels('ResBlock', x, this.options.inChannels);
    return tf.tidy(() => {
      const pre = (t: tf.Tensor4D) => normThenActivate(this.norm, this.activation, t);
      const skip = this.skip ? this.skip.forward(x) : x;
      // main + skip, the add as conv2's epilogue.
      return this.conv2.forward(pre(this.conv1.forward(pre(x))), { residual: skip });
    });
  }
}
