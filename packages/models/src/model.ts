import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@th/layers';
import type { LsrConfig } from './config/config';
import { Discriminator } from './networks/discriminator';
import { Encoder } from './networks/encoder';
import { ImageGenerator } from './networks/image-generator';
import { LayoutGenerator } from './networks/layout-generator';
import { checkImages } from './validate-input';

export interface Latents {
  /** Style latent z^s, [B, latentDim]: the mean over the K shots of E^s. */
  zs: tf.Tensor2D;
  /** Layout latent z^l, [B, latentDim]: the mean over the K shots of E^l. */
  zl: tf.Tensor2D;
}

export interface Synthesis {
  /** Generated frames [N, H, W, 3], linear (clip to [-1, 1] for display). */
  image: tf.Tensor4D;
  /** Layout logits [N, H, W, k]. */
  layoutLogits: tf.Tensor4D;
  /** Layout probabilities softmax(logits) [N, H, W, k]: what drives G^I. */
  layout: tf.Tensor4D;
  /** Auxiliary RGB head of G^l [N, H, W, 3] (stage-1 training only). */
  auxRgb: tf.Tensor4D;
}

export interface LsrModelOptions {
  /** Build the discriminator too (needed for training and fine-tuning). Default true. */
  discriminator?: boolean;
  /**
   * Also check that every input is finite and inside [-1, 1]. That reads the min and max back
   * from the device synchronously on every call, which stalls GPU pipelines, so it is off by
   * default (shapes are always checked); turn it on while wiring a new input path. Default false.
   */
  checkRange?: boolean;
}

/**
 * The LSR model (docs/design.md#pipeline): encode K shots of an identity into (z^s, z^l), then
 * synthesize any
 * number of target landmark images: layout = softmax(G^l(l_t; z^l)), image = G^I(z^s; layout).
 * Parameter names: `styleEncoder.*`, `layoutEncoder.*`, `layoutGenerator.*`, `imageGenerator.*`,
 * `discriminator.*`.
 */
export class LsrModel extends Module {
  readonly styleEncoder: Encoder;
  readonly layoutEncoder: Encoder;
  readonly layoutGenerator: LayoutGenerator;
  readonly imageGenerator: ImageGenerator;
  readonly discriminator: Discriminator | null;
  checkRange: boolean;

  constructor(
    readonly config: LsrConfig,
    options: LsrModelOptions = {},
  ) {
    super();
    this.styleEncoder = this.child('styleEncoder', new Encoder(config));
    this.layoutEncoder = this.child('layoutEncoder', new Encoder(config));
    this.layoutGenerator = this.child('layoutGenerator', new LayoutGenerator(config));
    this.imageGenerator = this.child('imageGenerator', new ImageGenerator(config));
    this.discriminator =
      options.discriminator === false
        ? null
        : this.child('discriminator', new Discriminator(config));
    this.checkRange = options.checkRange ?? false;
  }

  /**
   * `shots`, `shotLandmarks`: [B, K, H, W, 3] (B identities, K >= 1 shots each) in [-1, 1].
   * Both encoders run on all B*K shots as one batch; latents are averaged over K per identity.
   */
  encode(shots: tf.Tensor5D, shotLandmarks: tf.Tensor5D): Latents {
    const r = this.config.resolution;
    checkImages('encode: shots', shots, 5, r, this.checkRange);
    checkImages('encode: shot landmarks', shotLandmarks, 5, r, this.checkRange);
    if (shots.shape.some((d, i) => d !== shotLandmarks.shape[i])) {
      throw new Error(
        `encode: shots [${shots.shape}] and their landmark images [${shotLandmarks.shape}] must have the same shape`,
      );
    }
    const [b, k] = shots.shape;
    if (k < 1) throw new Error('encode: K must be >= 1 shots per identity');
    return tf.tidy(() => {
      const x = tf.reshape(tf.concat([shots, shotLandmarks], 4), [b * k, r, r, 6]) as tf.Tensor4D;
      const mean = (z: tf.Tensor2D) => tf.mean(tf.reshape(z, [b, k, -1]), 1) as tf.Tensor2D;
      return { zs: mean(this.styleEncoder.forward(x)), zl: mean(this.layoutEncoder.forward(x)) };
    });
  }

  /**
   * `targetLandmarks`: [N, H, W, 3] in [-1, 1]. Latents with batch 1 drive every target (one
   * identity, N poses); otherwise their batch must equal N (one target per identity).
   */
  synthesize(latents: Latents, targetLandmarks: tf.Tensor4D): Synthesis {
    checkImages(
      'synthesize: target landmarks',
      targetLandmarks,
      4,
      this.config.resolution,
      this.checkRange,
    );
    const n = targetLandmarks.shape[0];
    const b = latents.zs.shape[0];
    if (b !== 1 && b !== n) {
      throw new Error(
        `synthesize: latents for ${b} identities cannot drive ${n} targets (use 1 identity, or one target per identity)`,
      );
    }
    return tf.tidy(() => {
      const expand = (z: tf.Tensor2D) => (b === n ? z : (tf.tile(z, [n, 1]) as tf.Tensor2D));
      const { logits, auxRgb } = this.layoutGenerator.forward(targetLandmarks, expand(latents.zl));
      const layout = tf.softmax(logits) as tf.Tensor4D;
      const image = this.imageGenerator.forward(expand(latents.zs), layout, targetLandmarks);
      return { image, layoutLogits: logits, layout, auxRgb };
    });
  }
}
