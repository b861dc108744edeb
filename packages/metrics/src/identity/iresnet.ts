/**
 * arcface_torch's IResNet (insightface `recognition/arcface_torch/backbones/iresnet.py`, the
 * ArcFace recogniser behind FSTH's CSIM) as inference-only tfjs-core ops, NHWC, from a PyTorch
 * state dict. Eval-mode semantics: BatchNorm uses running statistics, y = (x − μ)/√(σ² + 1e−5)·γ + β,
 * folded here into one per-channel scale and shift; dropout is the identity.
 *
 *   stem:   conv3x3(3→64) → BN → PReLU
 *   block:  out = BN3(conv3x3_stride(PReLU(BN2(conv3x3(BN1(x)))))) + shortcut(x),
 *           shortcut = BN(conv1x1_stride(x)) in the first block of a stage, else x
 *   stages: 64, 128, 256, 512 channels, each starting with stride 2 (112 → 56 → 28 → 14 → 7)
 *   head:   BN → flatten in PyTorch's C·H·W order → fc(25088 → 512) → BatchNorm1d
 */
import * as tf from '@tensorflow/tfjs-core';
import { foldBatchNorm, hwioFilter } from '../fid/torch-layout';
import type { NamedArrays } from '../networks';
import { IRESNET_FINAL_SIZE, inferIResNetLayout } from './iresnet-layout';

const BN_EPS = 1e-5;

interface Affine {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}
interface Block {
  bn1: Affine;
  conv1: tf.Tensor4D;
  bn2: Affine;
  prelu: tf.Tensor1D;
  conv2: tf.Tensor4D;
  bn3: Affine;
  stride: number;
  downsample?: { conv: tf.Tensor4D; bn: Affine };
}

/** A loaded IResNet: `forward` maps [N, 112, 112, 3] normalised RGB to [N, numFeatures]. */
export interface IResNet {
  readonly layers: readonly [number, number, number, number];
  readonly numFeatures: number;
  forward(input: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/**
 * Builds the network on the active tfjs backend from an arcface_torch state dict (float32 arrays
 * in PyTorch layout); `source` names the weights in errors.
 */
export function createIResNet(weights: NamedArrays, source?: string): IResNet {
  const { layers, numFeatures } = inferIResNetLayout(weights, source);
  const owned: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  const get = (name: string) => weights.get(name)!;
  const conv = (name: string): tf.Tensor4D => keep(hwioFilter(get(name)));
  // Eval BN folded into a per-channel scale and shift (computed in float64, stored float32).
  const bn = (prefix: string): Affine => {
    const { scale, shift } = foldBatchNorm(weights, prefix, BN_EPS, source ?? 'ArcFace weights');
    return {
      scale: keep(tf.tensor1d(Float32Array.from(scale))),
      shift: keep(tf.tensor1d(Float32Array.from(shift))),
    };
  };
  const vector = (name: string) => keep(tf.tensor1d(get(name).data));

  const stem = { conv: conv('conv1.weight'), bn: bn('bn1'), prelu: vector('prelu.weight') };
  const blocks: Block[] = [];
  layers.forEach((count, s) => {
    for (let j = 0; j < count; j++) {
      const p = `layer${s + 1}.${j}`;
      blocks.push({
        bn1: bn(`${p}.bn1`),
        conv1: conv(`${p}.conv1.weight`),
        bn2: bn(`${p}.bn2`),
        prelu: vector(`${p}.prelu.weight`),
        conv2: conv(`${p}.conv2.weight`),
        bn3: bn(`${p}.bn3`),
        stride: j === 0 ? 2 : 1,
        downsample:
          j === 0
            ? { conv: conv(`${p}.downsample.0.weight`), bn: bn(`${p}.downsample.1`) }
            : undefined,
      });
    }
  });
  const head = {
    bn: bn('bn2'),
    fc: keep(tf.tensor2d(get('fc.weight').data, get('fc.weight').shape as [number, number])),
    fcBias: vector('fc.bias'),
    features: bn('features'),
  };

  // tf.prelu's typing wants alpha of the input's rank; a per-channel vector broadcasts.
  const prelu = (x: tf.Tensor4D, alpha: tf.Tensor1D) =>
    tf.prelu(x, alpha as unknown as tf.Tensor4D);
  const affine = <T extends tf.Tensor>(x: T, a: Affine): T => tf.add(tf.mul(x, a.scale), a.shift);
  const block = (x: tf.Tensor4D, b: Block): tf.Tensor4D => {
    let out = affine(x, b.bn1);
    out = tf.conv2d(out, b.conv1, 1, 1);
    out = prelu(affine(out, b.bn2), b.prelu);
    out = affine(tf.conv2d(out, b.conv2, b.stride, 1), b.bn3);
    const shortcut = b.downsample
      ? affine(tf.conv2d(x, b.downsample.conv, b.stride, 'valid'), b.downsample.bn)
      : x;
    return tf.add(out, shortcut);
  };

  return {
    layers,
    numFeatures,
    forward(input: tf.Tensor4D): tf.Tensor2D {
      const [n, h, w, c] = input.shape;
      const side = 16 * IRESNET_FINAL_SIZE;
      if (h !== side || w !== side || c !== 3) {
        throw new Error(`IResNet: input must be [N, ${side}, ${side}, 3], got [${input.shape}]`);
      }
      return tf.tidy(() => {
        let x = prelu(affine(tf.conv2d(input, stem.conv, 1, 1), stem.bn), stem.prelu);
        for (const b of blocks) x = block(x, b);
        x = affine(x, head.bn);
        // torch.flatten of NCHW: channel-major, so transpose NHWC → NCHW first.
        const flat = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n, -1]) as tf.Tensor2D;
        const fc = tf.add(tf.matMul(flat, head.fc, false, true), head.fcBias) as tf.Tensor2D;
        return affine(fc, head.features);
      });
    },
    dispose(): void {
      for (const t of owned) t.dispose();
      owned.length = 0;
    },
  };
}

/** arcface_torch's input normalisation of a 0..255 RGB crop: (x/255 − 0.5)/0.5 = x/127.5 − 1. */
export function arcfaceNormalize(rgb255: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rgb255.length);
  for (let i = 0; i < rgb255.length; i++) out[i] = rgb255[i]! / 127.5 - 1;
  return out;
}
