import * as tf from '@tensorflow/tfjs-core';
import { checkWeightTensors, type ExpectedTensor, type NamedArrays } from '../networks';
import { basicConvTensors, type ConvLayer, INCEPTION_LAYERS } from './inception-layers';
import { foldBatchNorm } from './torch-layout';

/** Batch-norm epsilon of the TF graph's BasicConv2d (pytorch-fid keeps it: 0.001). */
export const INCEPTION_BN_EPS = 1e-3;

/** One BasicConv2d ready to run: batch norm folded into an HWIO filter and a bias. */
export interface FoldedConv {
  readonly layer: ConvLayer;
  readonly filter: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
}

export type InceptionWeights = ReadonlyMap<string, FoldedConv>;

/** Every tensor the FID Inception needs, in state-dict order. */
export const INCEPTION_TENSORS: readonly ExpectedTensor[] =
  INCEPTION_LAYERS.flatMap(basicConvTensors);

/**
 * Validates the PyTorch-layout tensors and folds each eval-mode batch norm into its convolution
 * (computed in float64, stored float32):
 *
 *   s_o = γ_o / sqrt(var_o + 1e-3),  W'[ky, kx, c, o] = s_o · W[o, c, ky, kx],  b'_o = β_o − s_o · mean_o,
 *
 * so conv → BN → ReLU becomes one fused conv with bias and ReLU. `source` names the file in errors.
 */
export function prepareInceptionWeights(arrays: NamedArrays, source: string): InceptionWeights {
  checkWeightTensors('fid', source, arrays, INCEPTION_TENSORS);
  const weights = new Map<string, FoldedConv>();
  for (const layer of INCEPTION_LAYERS) {
    const w = arrays.get(`${layer.name}.conv.weight`)!.data;
    const { scale, shift } = foldBatchNorm(arrays, `${layer.name}.bn`, INCEPTION_BN_EPS, source);
    const { inChannels: cin, outChannels: cout, kernel } = layer;
    const [kh, kw] = kernel;
    const filter = new Float32Array(w.length);
    const bias = Float32Array.from(shift);
    for (let o = 0; o < cout; o++) {
      const s = scale[o]!;
      for (let c = 0; c < cin; c++)
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            filter[((y * kw + x) * cin + c) * cout + o] = s * w[((o * cin + c) * kh + y) * kw + x]!;
    }
    weights.set(layer.name, {
      layer,
      filter: tf.tensor4d(filter, [kh, kw, cin, cout]),
      bias: tf.tensor1d(bias),
    });
  }
  return weights;
}

/** Frees the tensors of prepared weights. */
export function disposeInceptionWeights(weights: InceptionWeights): void {
  for (const { filter, bias } of weights.values()) tf.dispose([filter, bias]);
}
