import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * SHA-256 over named float32 tensors: for each name in sorted order, its UTF-8 bytes, one zero
 * byte, then the values as little-endian float32. `tools/python/torch_lsr_golden.py` computes the
 * same digest of what it loaded, so a fixture states exactly which weights and inputs it was made
 * from (Node only: test and fixture tooling).
 */
export async function tensorsDigest(tensors: Record<string, tf.Tensor>): Promise<string> {
  const hash = createHash('sha256');
  for (const name of Object.keys(tensors).sort()) {
    const data = await tensors[name]!.data();
    if (!(data instanceof Float32Array)) throw new Error(`tensorsDigest: "${name}" is not float32`);
    hash.update(Buffer.from(name, 'utf8'));
    hash.update(new Uint8Array([0]));
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}
