import * as tf from '@tensorflow/tfjs-core';
import { WebGPUMultiTensorAdam } from '../webgpu/runtime/multi-tensor-adam';
import { type AdamConstants, checkConstants, type MultiTensorAdam } from './adam-contract';
import { CpuMultiTensorAdam } from './multi-tensor-adam-cpu';

/**
 * The multi-tensor Adam for the active backend: WGSL kernels on `webgpu`, a flat typed-array loop
 * on `cpu` (bit-identical to per-variable tfjs ops there). Null on other backends (wasm,
 * tensorflow), where the caller keeps per-variable ops.
 */
export function createMultiTensorAdam(
  variables: readonly tf.Variable[],
  constants: AdamConstants,
): MultiTensorAdam | null {
  checkConstants(constants);
  for (const v of variables) {
    if (v.dtype !== 'float32')
      throw new Error(`multi-tensor Adam: variable "${v.name}" is ${v.dtype}, expected float32`);
  }
  switch (tf.getBackend()) {
    case 'webgpu':
      return new WebGPUMultiTensorAdam(variables, constants);
    case 'cpu':
      return new CpuMultiTensorAdam(variables, constants);
    default:
      return null;
  }
}
