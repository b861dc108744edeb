import * as tf from '@tensorflow/tfjs-core';
import { adaptiveInstanceNormFused } from '@th/backend';
import { Module } from '../module/module';
import { checkPositiveInt } from './eq-conv2d';
import { EqDense } from './eq-dense';
import { LSR_INSTANCE_NORM_EPSILON, modulate } from './instance-norm';

export interface AdaINOptions {
  /** Channels C of the modulated feature map. */
  channels: number;
  /** Length of the latent code (LSR: 512). */
  latentDim: number;
  /** Instance-norm epsilon (LSR 1e-3). */
  epsilon?: number;
}

/**
 * Adaptive instance normalisation driven by a latent code (Huang & Belongie 2017, in the form
 * LSR's `StyleModulation` uses):
 *
 *   [gamma | beta] = EqDense(z)  (2C outputs: first C are gamma, last C are beta)
 *   AdaIN(x; z)    = IN(x) * (1 + gamma) + beta,   per sample and channel.
 *
 * The "1 +" lets a zero-initialised dense bias start as plain instance norm. Child: `style`.
 */
export class AdaIN extends Module {
  readonly style: EqDense;
  readonly epsilon: number;

  constructor(readonly options: AdaINOptions) {
    super();
    checkPositiveInt('AdaIN', { channels: options.channels, latentDim: options.latentDim });
    this.epsilon = options.epsilon ?? LSR_INSTANCE_NORM_EPSILON;
    this.style = this.child(
      'style',
      new EqDense({ inFeatures: options.latentDim, outFeatures: 2 * options.channels }),
    );
  }

  /** x: [N,H,W,C]; z: [N, latentDim]. With `leakySlope`, leaky ReLU follows (see modulate). */
  forward(x: tf.Tensor4D, z: tf.Tensor2D, leakySlope?: number): tf.Tensor4D {
    const c = this.options.channels;
    if (x.rank !== 4 || x.shape[3] !== c) {
      throw new Error(`AdaIN: expected NHWC input with ${c} channels, got [${x.shape}]`);
    }
    if (z.rank !== 2 || z.shape[0] !== x.shape[0]) {
      throw new Error(
        `AdaIN: latent must be [${x.shape[0]}, ${this.options.latentDim}], got [${z.shape}]`,
      );
    }
    return tf.tidy(() => {
      const dense = this.style.forward(z);
      // WebGPU inference: γ and β read from the dense output as it is (no split).
      const fused = adaptiveInstanceNormFused(x, dense, this.epsilon, leakySlope);
      if (fused) return fused;
      const styles = tf.reshape(dense, [x.shape[0], 1, 1, 2 * c]);
      const [gamma, beta] = tf.split(styles, 2, 3);
      return modulate(x, gamma!, beta!, this.epsilon, leakySlope);
    });
  }
}
