import * as tf from '@tensorflow/tfjs-core';
import { scaledMatMul } from '@th/backend';
import { normalInit, zerosInit } from '../module/initializers';
import { Module } from '../module/module';
import type { Parameter } from '../module/parameter';
import { checkPositiveInt } from './eq-conv2d';

export interface EqDenseOptions {
  inFeatures: number;
  outFeatures: number;
  /** Gain g of the runtime scale g/sqrt(in_features). Default sqrt(2). */
  gain?: number;
  /** Learning-rate multiplier (StyleGAN's mapping network uses 0.01). Default 1. */
  lrMultiplier?: number;
  /** Add a bias (zero-initialised). Default true. */
  bias?: boolean;
}

/**
 * Equalized-learning-rate fully connected layer (LSR `DenseScaled`, StyleGAN2 dense):
 *
 *   y = x (W * c) + b * lr,   c = lr * gain / sqrt(in_features),
 *
 * W stored as N(0, 1/lr^2), b stored as zeros. Input [N, in_features], output [N, out_features].
 */
export class EqDense extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly scale: number;
  readonly lrMultiplier: number;

  constructor(readonly options: EqDenseOptions) {
    super();
    const { inFeatures, outFeatures } = options;
    const gain = options.gain ?? Math.SQRT2;
    const lr = options.lrMultiplier ?? 1;
    checkPositiveInt('EqDense', { inFeatures, outFeatures });
    if (!(gain > 0) || !(lr > 0)) throw new Error(`EqDense: gain and lrMultiplier must be > 0`);
    this.lrMultiplier = lr;
    this.scale = (lr * gain) / Math.sqrt(inFeatures);
    this.weight = this.param('weight', [inFeatures, outFeatures], normalInit(1 / lr));
    this.bias = options.bias === false ? null : this.param('bias', [outFeatures], zerosInit);
  }

  forward(x: tf.Tensor2D): tf.Tensor2D {
    const n = this.options.inFeatures;
    if (x.rank !== 2 || x.shape[1] !== n) {
      throw new Error(`EqDense: expected input [N, ${n}], got shape [${x.shape}]`);
    }
    return tf.tidy((): tf.Tensor2D => {
      const b = !this.bias
        ? null
        : ((this.lrMultiplier === 1
            ? this.bias.value
            : tf.mul(this.bias.value, this.lrMultiplier)) as tf.Tensor1D);
      // One GEMM with scale and bias in its epilogue in WebGPU inference, else op by op.
      return scaledMatMul(x, this.weight.value as tf.Tensor2D, this.scale, b);
    });
  }
}
