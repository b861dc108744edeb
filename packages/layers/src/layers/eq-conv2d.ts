import * as tf from '@tensorflow/tfjs-core';
import { type ConvEpilogue, scaledConv2d } from '@th/backend';
import { normalInit, zerosInit } from '../module/initializers';
import { Module } from '../module/module';
import type { Parameter } from '../module/parameter';

export interface EqConv2dOptions {
  inChannels: number;
  outChannels: number;
  /** Square kernel size, odd (1, 3, 7...): 'same' padding must be symmetric. */
  kernelSize: number;
  /** Gain g of the runtime scale g/sqrt(fan_in). Default sqrt(2) (He init for (leaky) ReLU). */
  gain?: number;
  /** Learning-rate multiplier: stored weights are N(0, 1/lr^2) and the scale is multiplied by lr. */
  lrMultiplier?: number;
  /** Add a bias (zero-initialised, never gain-scaled). Default true. */
  bias?: boolean;
}

/**
 * Equalized-learning-rate 2D convolution (Karras et al., ProGAN/StyleGAN2; LSR `Conv2DScaled`),
 * NHWC, stride 1, 'same' zero padding:
 *
 *   y = conv(x, W * c) + b * lr,   c = lr * gain / sqrt(kh * kw * C_in),
 *
 * with W stored as N(0, 1/lr^2) and b stored as zeros. Keeping the stored weights at unit scale
 * and applying He's constant at run time makes Adam's per-parameter step sizes comparable
 * across layers of different fan-in. With lr = 1 (LSR) the bias is used as stored.
 */
export class EqConv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly scale: number;
  readonly lrMultiplier: number;

  constructor(readonly options: EqConv2dOptions) {
    super();
    const { inChannels, outChannels, kernelSize } = options;
    const gain = options.gain ?? Math.SQRT2;
    const lr = options.lrMultiplier ?? 1;
    checkPositiveInt('EqConv2d', { inChannels, outChannels, kernelSize });
    if (kernelSize % 2 !== 1)
      throw new Error(`EqConv2d: kernelSize must be odd, got ${kernelSize}`);
    if (!(gain > 0) || !(lr > 0)) throw new Error(`EqConv2d: gain and lrMultiplier must be > 0`);
    this.lrMultiplier = lr;
    this.scale = (lr * gain) / Math.sqrt(kernelSize * kernelSize * inChannels);
    this.weight = this.param(
      'weight',
      [kernelSize, kernelSize, inChannels, outChannels],
      normalInit(1 / lr),
    );
    this.bias = options.bias === false ? null : this.param('bias', [outChannels], zerosInit);
  }

  /**
   * x: [N,H,W,C_in]. `epilogue` adds what follows the conv in a block (an activation, then a
   * residual): in inference on WebGPU the whole chain is one kernel (@th/backend scaledConv2d).
   */
  forward(x: tf.Tensor4D, epilogue: ConvEpilogue = {}): tf.Tensor4D {
    const c = this.options.inChannels;
    if (x.rank !== 4 || x.shape[3] !== c) {
      throw new Error(`EqConv2d: expected NHWC input with ${c} channels, got shape [${x.shape}]`);
    }
    return tf.tidy(() => {
      const b = !this.bias
        ? null
        : this.lrMultiplier === 1
          ? (this.bias.value as tf.Tensor1D)
          : (tf.mul(this.bias.value, this.lrMultiplier) as tf.Tensor1D);
      // Fused where a kernel exists and no gradient tape records (inference), else op by op.
      return scaledConv2d(x, this.weight.value as tf.Tensor4D, this.scale, b, epilogue);
    });
  }
}

/** Throw a clear error unless every value is a positive integer. */
export function checkPositiveInt(layer: string, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new Error(`${layer}: ${name} must be a positive integer, got ${v}`);
    }
  }
}
