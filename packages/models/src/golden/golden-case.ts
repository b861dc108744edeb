import * as tf from '@tensorflow/tfjs-core';
import { createRng, type Rng } from '@th/backend';
import type { DeepPartial, LsrConfig } from '../config/config';
import { type PresetName, presetConfig } from '../config/presets';
import { LsrModel } from '../model';

/**
 * The cases of the golden test against the independent PyTorch implementation (torch_lsr): a
 * model with deterministic weights, deterministic inputs for each of the five networks, and the
 * outputs that are compared. The weights and inputs are re-created here bit for bit from the
 * seed, so the committed fixture holds only the reference outputs (see
 * `tools/python/torch_lsr_golden.py`, which computes them, and docs/design.md#golden-networks).
 */
export interface GoldenCase {
  /** Fixture file stem: `__fixtures__/<name>.safetensors`. */
  name: string;
  preset: PresetName;
  override?: DeepPartial<LsrConfig>;
  /** Examples per network call. */
  batch: number;
  seed: number;
  /**
   * Image-sized outputs (G^l's 22 channels, G^I's RGB) are stored on a grid: every `stride`-th
   * pixel from `floor(stride / 2)`, plus each channel's mean over all pixels.
   */
  stride: number;
}

export const GOLDEN_CASES: readonly GoldenCase[] = [
  { name: 'lsr-64', preset: 'lsr-64', batch: 2, seed: 64, stride: 2 },
  {
    name: 'lsr-64-layout-landmarks',
    preset: 'lsr-64',
    override: { imageGenerator: { spadeInput: 'layout+landmarks' } },
    batch: 1,
    seed: 65,
    stride: 4,
  },
  { name: 'lsr-224', preset: 'lsr-224', batch: 1, seed: 224, stride: 7 },
];

export function goldenCase(name: string): GoldenCase {
  const found = GOLDEN_CASES.find((c) => c.name === name);
  if (!found) {
    throw new Error(
      `unknown golden case "${name}" (available: ${GOLDEN_CASES.map((c) => c.name).join(', ')})`,
    );
  }
  return found;
}

export function goldenConfig(c: GoldenCase): LsrConfig {
  return presetConfig(c.preset, c.override ?? {});
}

/** Standard deviation of the biases: non-zero so that bias placement is checked too. */
const BIAS_STD = 0.2;

/**
 * `initialize(seed)` (N(0, 1) weights), then every bias replaced by N(0, 0.2^2) values drawn in
 * parameter order from a second generator, because zero biases would let a misplaced bias pass.
 */
export function goldenModel(c: GoldenCase): LsrModel {
  const model = new LsrModel(goldenConfig(c), { discriminator: true }).initialize(c.seed);
  const rng = createRng(c.seed + 0x9e37);
  for (const [name, p] of model.namedParameters()) {
    if (!name.endsWith('.bias')) continue;
    tf.tidy(() => p.setValue(tf.tensor(rng.normalArray(p.size, BIAS_STD), [...p.shape])));
  }
  return model;
}

/** Names of the inputs, in generation order (the order matters: one generator feeds them all). */
export const GOLDEN_INPUTS = [
  'encoder_input',
  'gl_landmarks',
  'gl_zl',
  'gi_zs',
  'gi_layout',
  'gi_landmarks',
  'd_image',
  'd_landmarks',
] as const;
export type GoldenInputName = (typeof GOLDEN_INPUTS)[number];

const uniform = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => 2 * rng.next() - 1);

/**
 * Softmax over each run of `k` values, in float64 JavaScript rather than a tfjs kernel, so the
 * inputs are the same bits on every backend (the digest in the fixture depends on them).
 */
function softmaxRows(logits: Float32Array, k: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, logits[i + j]!);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(logits[i + j]! - max);
    for (let j = 0; j < k; j++) out[i + j] = Math.exp(logits[i + j]! - max) / sum;
  }
  return out;
}

/**
 * Inputs for each network, drawn from one generator seeded by the case: images and landmark
 * images uniform in [-1, 1], latents N(0, 1), and a layout that is the softmax of N(0, 4) logits
 * (what G^I receives in the model).
 */
export function goldenInputs(c: GoldenCase): Record<GoldenInputName, tf.Tensor> {
  const config = goldenConfig(c);
  const r = config.resolution;
  const b = c.batch;
  const rng = createRng(c.seed * 7919 + 1);
  const image = (channels: number) =>
    tf.tensor4d(uniform(rng, b * r * r * channels), [b, r, r, channels]);
  const latent = () => tf.tensor2d(rng.normalArray(b * config.latentDim), [b, config.latentDim]);
  const encoderInput = image(6);
  const glLandmarks = image(3);
  const glZl = latent();
  const giZs = latent();
  const k = config.layoutClasses;
  const giLayout = tf.tensor4d(softmaxRows(rng.normalArray(b * r * r * k, 2), k), [b, r, r, k]);
  return {
    encoder_input: encoderInput,
    gl_landmarks: glLandmarks,
    gl_zl: glZl,
    gi_zs: giZs,
    gi_layout: giLayout,
    gi_landmarks: image(3),
    d_image: image(3),
    d_landmarks: image(3),
  };
}

/** Names of the compared outputs. */
export const GOLDEN_OUTPUTS = [
  'es',
  'el',
  'gl_grid',
  'gl_mean',
  'gi_grid',
  'gi_mean',
  'd',
] as const;
export type GoldenOutputName = (typeof GOLDEN_OUTPUTS)[number];

/** Every `stride`-th pixel from floor(stride / 2): [N, H, W, C] -> [N, ceil(...), ..., C]. */
export function sampleGrid(t: tf.Tensor4D, stride: number): tf.Tensor4D {
  const o = Math.floor(stride / 2);
  const [n, h, w, ch] = t.shape;
  return tf.stridedSlice(t, [0, o, o, 0], [n, h, w, ch], [1, stride, stride, 1]) as tf.Tensor4D;
}

/**
 * One forward pass of each network on its own inputs: E^s and E^l on the 6-channel shots, G^l
 * (all 22 output channels: 19 layout logits then 3 aux RGB), G^I and D.
 */
export function goldenOutputs(
  model: LsrModel,
  inputs: Record<GoldenInputName, tf.Tensor>,
  stride: number,
): Record<GoldenOutputName, tf.Tensor> {
  return tf.tidy(() => {
    const x = inputs.encoder_input as tf.Tensor4D;
    const gl = model.layoutGenerator.forward(
      inputs.gl_landmarks as tf.Tensor4D,
      inputs.gl_zl as tf.Tensor2D,
    );
    const glOut = tf.concat([gl.logits, gl.auxRgb], 3) as tf.Tensor4D;
    const gi = model.imageGenerator.forward(
      inputs.gi_zs as tf.Tensor2D,
      inputs.gi_layout as tf.Tensor4D,
      inputs.gi_landmarks as tf.Tensor4D,
    );
    return {
      es: model.styleEncoder.forward(x),
      el: model.layoutEncoder.forward(x),
      gl_grid: sampleGrid(glOut, stride),
      gl_mean: tf.mean(glOut, [1, 2]),
      gi_grid: sampleGrid(gi, stride),
      gi_mean: tf.mean(gi, [1, 2]),
      d: model.discriminator!.forward(
        inputs.d_image as tf.Tensor4D,
        inputs.d_landmarks as tf.Tensor4D,
      ),
    };
  });
}
