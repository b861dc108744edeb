import * as tf from '@tensorflow/tfjs-core';

/**
 * Minimal reader for the safetensors container (8-byte little-endian header length N, N bytes of
 * JSON `{name: {dtype, shape, data_offsets}}`, then raw little-endian data), enough to load
 * user-supplied feature-network weights. Only F32 (and F16, widened to float32) tensors are
 * accepted: that is what the documented h5 conversion writes. `source` names the file in errors.
 */
export function readSafetensors(bytes: Uint8Array, source: string): Map<string, tf.Tensor> {
  const fail = (why: string): never => {
    throw new Error(`${source}: not a valid safetensors file: ${why}`);
  };
  if (bytes.byteLength < 8) fail(`only ${bytes.byteLength} bytes`);
  const headerLength = Number(
    new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true),
  );
  if (headerLength <= 0 || 8 + headerLength > bytes.byteLength)
    fail(`header length ${headerLength} exceeds the file (truncated?)`);
  let header: Record<string, { dtype?: string; shape?: number[]; data_offsets?: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (err) {
    return fail(`header is not JSON (${(err as Error).message})`);
  }
  const data = bytes.subarray(8 + headerLength);
  const out = new Map<string, tf.Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry;
    if (!Array.isArray(shape) || !Array.isArray(offsets))
      fail(`tensor "${name}" lacks shape or data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const itemSize =
      dtype === 'F32'
        ? 4
        : dtype === 'F16'
          ? 2
          : fail(`tensor "${name}" has dtype ${dtype}; only F32 and F16 are supported`);
    if (!(begin >= 0 && end <= data.byteLength && end - begin === count * itemSize)) {
      fail(
        `tensor "${name}" spans bytes [${begin}, ${end}) which does not fit shape [${shape}] ${dtype} in ${data.byteLength} data bytes`,
      );
    }
    const chunk = data.slice(begin, end); // copy: aligned, owned memory
    const values =
      dtype === 'F32' ? new Float32Array(chunk.buffer) : halfToFloat(new Uint16Array(chunk.buffer));
    out.set(name, tf.tensor(values, shape as number[], 'float32'));
  }
  return out;
}

/** IEEE 754 binary16 -> binary32. */
function halfToFloat(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) out[i] = sign * 2 ** -14 * (fraction / 1024);
    else if (exponent === 31) out[i] = fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else out[i] = sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}
