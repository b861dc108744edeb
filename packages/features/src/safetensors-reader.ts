import type * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, rawToTensor } from '@th/backend';

/**
 * Read user-supplied feature-network weights from a safetensors file: the container is parsed and
 * checked by @th/backend (`decodeSafetensors`); only float tensors are accepted (F32, or F16/BF16
 * widened exactly to float32: what the documented h5 conversion or a half-precision export writes).
 * `source` names the file in errors.
 */
export function readSafetensors(bytes: Uint8Array, source: string): Map<string, tf.Tensor> {
  const { tensors } = decodeSafetensors(bytes, source);
  const out = new Map<string, tf.Tensor>();
  for (const [name, raw] of tensors) {
    if (raw.dtype !== 'F32' && raw.dtype !== 'F16' && raw.dtype !== 'BF16') {
      for (const t of out.values()) t.dispose();
      throw new Error(
        `${source}: tensor "${name}" has dtype ${raw.dtype}; only F32, F16 and BF16 are supported`,
      );
    }
    out.set(name, rawToTensor(raw, name));
  }
  return out;
}
