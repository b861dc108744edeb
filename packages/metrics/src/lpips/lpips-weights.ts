import * as tf from '@tensorflow/tfjs-core';
import { hwioFilter } from '../fid/torch-layout';
import { checkWeightTensors, type ExpectedTensor, type NamedArrays } from '../networks';

/**
 * torchvision's AlexNet `features` convolutions, by their indices in that Sequential
 * (0 conv 11x11/4 pad 2, 3 conv 5x5 pad 2, 6/8/10 conv 3x3 pad 1; ReLUs and max pools between
 * carry no weights). LPIPS taps the ReLU after each of them.
 */
export const ALEXNET_CONVS = [
  { index: 0, inChannels: 3, outChannels: 64, kernel: 11, stride: 4, padding: 2 },
  { index: 3, inChannels: 64, outChannels: 192, kernel: 5, stride: 1, padding: 2 },
  { index: 6, inChannels: 192, outChannels: 384, kernel: 3, stride: 1, padding: 1 },
  { index: 8, inChannels: 384, outChannels: 256, kernel: 3, stride: 1, padding: 1 },
  { index: 10, inChannels: 256, outChannels: 256, kernel: 3, stride: 1, padding: 1 },
] as const;

export type AlexNetConv = (typeof ALEXNET_CONVS)[number];

/** Every tensor LPIPS (alex, v0.1) needs: trunk convs then the five linear heads. */
export const LPIPS_TENSORS: readonly ExpectedTensor[] = [
  ...ALEXNET_CONVS.flatMap((c) => [
    {
      name: `features.${c.index}.weight`,
      shape: [c.outChannels, c.inChannels, c.kernel, c.kernel],
    },
    { name: `features.${c.index}.bias`, shape: [c.outChannels] },
  ]),
  ...ALEXNET_CONVS.map((c, n) => ({
    name: `lin${n}.model.1.weight`,
    shape: [1, c.outChannels, 1, 1],
  })),
];

export interface LpipsWeights {
  /** Per trunk conv: HWIO filter and bias. */
  readonly convs: readonly { conv: AlexNetConv; filter: tf.Tensor4D; bias: tf.Tensor1D }[];
  /** Per tapped layer: the 1x1 head's weights as a [C] vector (non-negative). */
  readonly heads: readonly tf.Tensor1D[];
}

/**
 * Validates PyTorch-layout tensors (names and shapes; head weights must be ≥ 0, as LPIPS clamps
 * them when training) and moves conv kernels from [out, in, kh, kw] to tfjs' [kh, kw, in, out].
 */
export function prepareLpipsWeights(arrays: NamedArrays, source: string): LpipsWeights {
  checkWeightTensors('lpips', source, arrays, LPIPS_TENSORS);
  const convs = ALEXNET_CONVS.map((conv) => {
    const filter = hwioFilter(arrays.get(`features.${conv.index}.weight`)!);
    return { conv, filter, bias: tf.tensor1d(arrays.get(`features.${conv.index}.bias`)!.data) };
  });
  const heads = ALEXNET_CONVS.map((_, n) => {
    const name = `lin${n}.model.1.weight`;
    const data = arrays.get(name)!.data;
    const negative = data.findIndex((v) => !(v >= 0));
    if (negative >= 0) {
      throw new Error(
        `${source}: "${name}"[${negative}] is ${data[negative]}; LPIPS linear heads are non-negative`,
      );
    }
    return tf.tensor1d(data);
  });
  return { convs, heads };
}

export function disposeLpipsWeights(weights: LpipsWeights): void {
  for (const { filter, bias } of weights.convs) tf.dispose([filter, bias]);
  tf.dispose([...weights.heads]);
}
