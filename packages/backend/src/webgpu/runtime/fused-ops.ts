import * as tf from '@tensorflow/tfjs-core';
import { hostFusedActive } from '../../fused/host-kernels';
import { recordingGradients } from '../../util/gradient-tape';
import { scaledConv2dWebGpuConfig } from '../scaled-conv2d';
import { scaledMatMulWebGpuConfig } from '../scaled-matmul';
import { registerAvgPoolKernels } from './kernels/avg-pool';
import {
  fusedInstanceNorm,
  instanceNormInference,
  modulationKind,
  type PackedKind,
  registerInstanceNormKernels,
} from './kernels/instance-norm';
import { fusedLeakyRelu, registerLeakyReluKernels } from './kernels/leaky-relu';
import { registerUpsampleKernels } from './kernels/upsample';

let registered: string[] | null = null;
/** Whether the installed runtime asked for the fused kernels (off for tfjs-baseline runs). */
let enabled = false;

/** Register @th's fused WebGPU kernels with tfjs (once) and switch the fused ops on or off. */
export function enableFusedKernels(on: boolean): string[] {
  enabled = on;
  if (!on) return [];
  if (!registered) {
    // The equalized-lr conv and dense layers as GEMMs with an epilogue (inference only).
    const gemms = [scaledConv2dWebGpuConfig, scaledMatMulWebGpuConfig];
    for (const config of gemms)
      if (!tf.getKernel(config.kernelName, 'webgpu')) tf.registerKernel(config);
    registered = [
      ...registerLeakyReluKernels(),
      ...registerInstanceNormKernels(),
      ...registerUpsampleKernels(),
      ...registerAvgPoolKernels(),
      ...gemms.map((c) => c.kernelName),
    ];
  }
  return registered;
}

/** True when ops should take the fused WebGPU kernels (webgpu active, runtime enabled them). */
export function fusedOpsActive(): boolean {
  return enabled && registered !== null && tf.getBackend() === 'webgpu';
}

/**
 * Whether ops take the fused kernels: on WebGPU when the runtime enabled them, on wasm and cpu
 * when `init` registered their host versions (fused/host-kernels.ts).
 */
function fusedAvailable(): boolean {
  return fusedOpsActive() || hostFusedActive();
}

/**
 * AdaIN's IN(x)·(1 + γ) + β with γ and β packed in one tensor `styles` (its dense layer's
 * output, [N, 2C] or [N,1,1,2C], γ first), then leaky ReLU with `leakySlope` if given, as one
 * stats and one apply kernel: in WebGPU inference only (no split of the styles into two
 * tensors). Null elsewhere: callers split and use `instanceNormFused` or their op-by-op form.
 */
export function adaptiveInstanceNormFused(
  x: tf.Tensor4D,
  styles: tf.Tensor,
  epsilon: number,
  leakySlope?: number,
): tf.Tensor4D | null {
  const [n, , , c] = x.shape;
  const fits = styles.size === 2 * n * c && styles.shape[0] === n;
  return fits ? packedInference(x, styles, epsilon, leakySlope, 'channel') : null;
}

/**
 * SPADE's IN(x)·(1 + γ) + β with γ and β packed in one tensor `gammaBeta` [N, H, W, 2C] (γ in
 * the first C channels: the output of γ's and β's convs run as one conv with both filters), then
 * leaky ReLU with `leakySlope` if given, as one stats and one apply kernel: in WebGPU inference
 * only. Null elsewhere, or for another shape: callers run the two convs and `instanceNormFused`.
 */
export function spatialInstanceNormFused(
  x: tf.Tensor4D,
  gammaBeta: tf.Tensor4D,
  epsilon: number,
  leakySlope?: number,
): tf.Tensor4D | null {
  const [n, h, w, c] = x.shape;
  const fits = gammaBeta.shape.join() === [n, h, w, 2 * c].join();
  return fits ? packedInference(x, gammaBeta, epsilon, leakySlope, 'spatial') : null;
}

/** The packed-styles apply in WebGPU inference on float32 tensors, else null. */
function packedInference(
  x: tf.Tensor4D,
  styles: tf.Tensor,
  epsilon: number,
  leakySlope: number | undefined,
  packed: PackedKind,
): tf.Tensor4D | null {
  if (!fusedOpsActive() || recordingGradients()) return null;
  if (x.dtype !== 'float32' || styles.dtype !== 'float32') return null;
  return instanceNormInference(x, epsilon, styles, null, leakySlope, packed);
}

/**
 * Whether the inference-only WebGPU kernels run now (the equalized-lr conv and dense layers as
 * GEMMs with an epilogue, ThScaledConv2D and ThScaledMatMul; the 2×2 average pool): the runtime
 * enabled the fused kernels and no gradient tape is recording (they have no gradient).
 */
export function webgpuInferenceKernels(): boolean {
  return fusedOpsActive() && !recordingGradients();
}

/** Whether the fused 2× bilinear upsampling kernel (and its adjoint) runs on the active backend. */
export function upsampleFusedAvailable(): boolean {
  return fusedAvailable();
}

/** The fused leaky ReLU, or null where it is not available (callers use the portable form). */
export function leakyReluFused<T extends tf.Tensor>(x: T, alpha: number): T | null {
  return fusedAvailable() ? fusedLeakyRelu(x, alpha) : null;
}

/**
 * IN(x)·(1 + γ) + β with γ, β [N,1,1,C] or [N,H,W,C] (or IN(x) without them) in fused kernels
 * (WebGPU, first-order differentiable; wasm and cpu, inference only); null where not available
 * or for other broadcast shapes, so callers fall back to their op-by-op form. With `leakySlope`,
 * leaky ReLU follows: in WebGPU inference inside the same kernel (one dispatch fewer), elsewhere
 * as the fused leaky-ReLU kernel.
 */
export function instanceNormFused(
  x: tf.Tensor4D,
  epsilon: number,
  gamma: tf.Tensor | null = null,
  beta: tf.Tensor | null = null,
  leakySlope?: number,
): tf.Tensor4D | null {
  if (x.dtype !== 'float32') return null;
  // On wasm and cpu only outside a gradient tape (inference): there the op-by-op form is
  // differentiable to any order, which @th/layers promises on those backends; the fused kernels
  // are first-order only.
  if (!fusedOpsActive() && !(hostFusedActive() && !recordingGradients())) return null;
  if (gamma && beta) {
    const kind = modulationKind(x, gamma);
    if (!kind || modulationKind(x, beta) !== kind) return null;
  } else if (gamma || beta) return null;
  if (leakySlope === undefined) return fusedInstanceNorm(x, epsilon, gamma, beta);
  if (!Number.isFinite(leakySlope))
    throw new Error(`instanceNormFused: leakySlope must be finite, got ${leakySlope}`);
  if (fusedOpsActive() && !recordingGradients())
    return instanceNormInference(x, epsilon, gamma, beta, leakySlope);
  return tf.tidy(() => fusedLeakyRelu(fusedInstanceNorm(x, epsilon, gamma, beta), leakySlope));
}
