import { decodeSafetensors, type RawTensor, rawToFloat32 } from '@th/backend';
import {
  checkWeightTensors,
  type ExpectedTensor,
  type NamedArray,
  type NetworkMetric,
} from '../networks';

/** Floating dtypes `@th/backend`'s `rawToFloat32` widens to float32 (F16 and BF16 exactly). */
const FLOAT_DTYPES: ReadonlySet<string> = new Set(['F32', 'F16', 'BF16']);

/**
 * Converts the `expected` tensors of a decoded safetensors file to float32 arrays in PyTorch
 * layout, through `@th/backend`'s `rawToFloat32`; anything else in the file (a classifier head,
 * `num_batches_tracked`) is left alone. Names and shapes must already have been checked; a
 * non-float tensor is refused naming `source` and the tensor.
 */
export function floatArrays(
  tensors: ReadonlyMap<string, RawTensor>,
  source: string,
  expected: readonly ExpectedTensor[],
): Map<string, NamedArray> {
  const arrays = new Map<string, NamedArray>();
  for (const { name, shape } of expected) {
    const raw = tensors.get(name);
    if (!raw) throw new Error(`${source}: tensor "${name}" is missing`);
    if (!FLOAT_DTYPES.has(raw.dtype)) {
      throw new Error(
        `${source}: tensor "${name}" has dtype ${raw.dtype}; expected F32, F16 or BF16`,
      );
    }
    arrays.set(name, { shape, data: rawToFloat32(raw, name) });
  }
  return arrays;
}

/**
 * Reads the tensors a network needs from safetensors bytes (the container is parsed and checked
 * by `@th/backend`): names and shapes are validated first (errors name `source` and the tensor),
 * then only the expected tensors are converted to float32 ({@link floatArrays}).
 */
export function readNetworkArrays(
  bytes: Uint8Array,
  source: string,
  metric: NetworkMetric,
  expected: readonly ExpectedTensor[],
): Map<string, NamedArray> {
  const { tensors } = decodeSafetensors(bytes, source);
  checkWeightTensors(metric, source, tensors, expected);
  return floatArrays(tensors, source, expected);
}
