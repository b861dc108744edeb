import * as tf from '@tensorflow/tfjs-core';
import { scaledConv2d, spatialInstanceNormFused, webgpuInferenceKernels } from '@th/backend';
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
 *
 * In WebGPU inference γ's and β's convs run as one conv with both filters side by side (N = 2C:
 * one GEMM instead of two, and wider, which the GPU runs better), and the apply kernel reads γ and
 * β from its output unsplit. The side-by-side filter and bias are made once and kept until a
 * weight changes (or `dispose`).
 */
export class SPADE extends Module {
  readonly shared: EqConv2d;
  readonly gamma: EqConv2d;
  readonly beta: EqConv2d;
  readonly epsilon: number;
  private packed: { from: readonly object[]; filter: tf.Tensor4D; bias: tf.Tensor1D } | null = null;

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
      if (webgpuInferenceKernels()) {
        const { filter, bias } = this.packedGammaBeta();
        const gammaBeta = scaledConv2d(h, filter, this.gamma.scale, bias);
        const y = spatialInstanceNormFused(x, gammaBeta, this.epsilon, leakySlope);
        if (y) return y;
      }
      return modulate(x, this.gamma.forward(h), this.beta.forward(h), this.epsilon, leakySlope);
    });
  }

  /** γ's and β's filters and biases side by side (γ first), made again when a weight changed. */
  private packedGammaBeta(): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
    const gw = this.gamma.weight.value as tf.Tensor4D;
    const bw = this.beta.weight.value as tf.Tensor4D;
    const gb = this.gamma.bias!.value as tf.Tensor1D;
    const bb = this.beta.bias!.value as tf.Tensor1D;
    const from = [gw.dataId, bw.dataId, gb.dataId, bb.dataId];
    const cached = this.packed;
    if (cached?.from.every((id, i) => id === from[i])) return cached;
    this.disposePacked();
    const filter = tf.keep(tf.tidy(() => tf.concat([gw, bw], 3)));
    const bias = tf.keep(tf.tidy(() => tf.concat([gb, bb])));
    this.packed = { from, filter, bias };
    return this.packed;
  }

  private disposePacked(): void {
    if (!this.packed) return;
    tf.dispose([this.packed.filter, this.packed.bias]);
    this.packed = null;
  }

  override dispose(): void {
    this.disposePacked();
    super.dispose();
  }
}
