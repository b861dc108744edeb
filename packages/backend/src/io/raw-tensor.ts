/**
 * Between tfjs tensors and the raw little-endian bytes of a safetensors entry. Loading widens F16
 * and BF16 exactly to float32, so weights saved in half precision (PyTorch mixed precision,
 * converted VGG/ArcFace/LPIPS files) load like float32 ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bfloat16ToFloat, halfToFloat } from './half-float';
import type { RawTensor, SafetensorsDtype } from './safetensors';

const DTYPES: Record<string, SafetensorsDtype> = { float32: 'F32', int32: 'I32' };

/** Tensor → raw little-endian bytes (tfjs typed arrays are platform-endian; all targets are LE). */
export async function tensorToRaw(t: tf.Tensor): Promise<RawTensor> {
  const dtype = DTYPES[t.dtype];
  if (!dtype) throw new Error(`cannot store a ${t.dtype} tensor in safetensors`);
  const data = (await t.data()) as Float32Array | Int32Array;
  const copy = new Uint8Array(data.byteLength);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { dtype, shape: [...t.shape], bytes: copy };
}

/** Raw bytes → float32 values: F32 as they are, F16 and BF16 widened exactly. */
export function rawToFloat32(raw: RawTensor, name = 'tensor'): Float32Array {
  // A fresh, aligned copy of exactly these bytes (a Buffer's `.slice` would be a pooled view).
  const own = () => new Uint8Array(raw.bytes).buffer;
  if (raw.dtype === 'F32') return new Float32Array(own());
  if (raw.dtype === 'F16') return halfToFloat(new Uint16Array(own()));
  if (raw.dtype === 'BF16') return bfloat16ToFloat(new Uint16Array(own()));
  throw new Error(`"${name}": dtype ${raw.dtype} is not a float dtype (F32, F16 or BF16)`);
}

/** Raw bytes → tensor: F32 and I32 as they are, F16 and BF16 widened (exactly) to float32. */
export function rawToTensor(raw: RawTensor, name = 'tensor'): tf.Tensor {
  if (raw.dtype === 'I32')
    return tf.tensor(new Int32Array(new Uint8Array(raw.bytes).buffer), raw.shape, 'int32');
  if (raw.dtype === 'F32' || raw.dtype === 'F16' || raw.dtype === 'BF16')
    return tf.tensor(rawToFloat32(raw, name), raw.shape, 'float32');
  throw new Error(
    `"${name}": dtype ${raw.dtype} cannot be loaded into tfjs (only F32, F16, BF16 and I32)`,
  );
}
