import * as tf from '@tensorflow/tfjs-core';
import { hostFusedActive } from '../../fused/host-kernels';
import { recordingGradients } from '../../util/gradient-tape';
import { scaledConv2dWebGpuConfig } from '../scaled-conv2d';
import {
  fusedInstanceNorm,
  modulationKind,
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
    if (!tf.getKernel(scaledConv2dWebGpuConfig.kernelName, 'webgpu'))
      tf.registerKernel(scaledConv2dWebGpuConfig);
    registered = [
      ...registerLeakyReluKernels(),
      ...registerInstanceNormKernels(),
      ...registerUpsampleKernels(),
      scaledConv2dWebGpuConfig.kernelName,
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
 * Whether the fused equalized-lr conv (ThScaledConv2D with its epilogue) runs on WebGPU now:
 * the runtime enabled the fused kernels and no gradient tape is recording (it has no gradient).
 */
export function scaledConvFusedOnWebGpu(): boolean {
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
 * (WebGPU, first-order differentiable; wasm and cpu, inference only); null where not available or for other broadcast shapes,
 * so callers fall back to their op-by-op form.
 */
export function instanceNormFused(
  x: tf.Tensor4D,
  epsilon: number,
  gamma: tf.Tensor | null = null,
  beta: tf.Tensor | null = null,
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
  return fusedInstanceNorm(x, epsilon, gamma, beta);
}
