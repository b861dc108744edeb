import type * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, rawToTensor } from '@th/models';

/**
 * Read user-supplied feature-network weights from a safetensors file: the container is parsed and
 * checked by `@th/models` (`decodeSafetensors`); only float tensors (F32, or F16 widened to
 * float32, what the documented h5 conversion writes) are accepted. `source` names the file in errors.
 */
export function readSafetensors(bytes: Uint8Array, source: string): Map<string, tf.Tensor> {
  const { tensors } = decodeSafetensors(bytes, source);
  const out = new Map<string, tf.Tensor>();
  for (const [name, raw] of tensors) {
    if (raw.dtype !== 'F32' && raw.dtype !== 'F16') {
      throw new Error(
        `${source}: tensor "${name}" has dtype ${raw.dtype}; only F32 and F16 are supported`,
      );
    }
    out.set(name, rawToTensor(raw, name));
  }
  return out;
}
