import { decodeSafetensors, type RawTensor, rawToTensor } from '@th/models';
import {
  checkWeightTensors,
  type ExpectedTensor,
  type NamedArray,
  type NetworkMetric,
} from '../networks';

/** Floating dtypes `@th/models`' `rawToTensor` loads as float32 (F16 and BF16 widened exactly). */
const FLOAT_DTYPES: ReadonlySet<string> = new Set(['F32', 'F16', 'BF16']);

/**
 * Converts the `expected` tensors of a decoded safetensors file to float32 arrays in PyTorch
 * layout, through `@th/models`' `rawToTensor`; anything else in the file (a classifier head,
 * `num_batches_tracked`) is left alone. Names and shapes must already have been checked; a
 * non-float tensor is refused naming `source` and the tensor. Needs a tfjs backend.
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
    const t = rawToTensor(raw, name);
    arrays.set(name, { shape, data: t.dataSync() as Float32Array });
    t.dispose();
  }
  return arrays;
}

/**
 * Reads the tensors a network needs from safetensors bytes (the container is parsed and checked
 * by `@th/models`): names and shapes are validated first (errors name `source` and the tensor),
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
