/** IEEE 754 binary16 → binary32 (safetensors F16 tensors, e.g. converted VGG weights). */
export function halfToFloat(halves: Uint16Array): Float32Array {
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

/**
 * bfloat16 → binary32 (safetensors BF16 tensors, as mixed-precision PyTorch training saves
 * them). bfloat16 is the upper 16 bits of a float32 (same sign and 8-bit exponent, mantissa cut
 * to 7 bits), so widening is exact: put the bits back on top and zero the lower half.
 */
export function bfloat16ToFloat(halves: Uint16Array): Float32Array {
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = halves[i]! << 16;
  return new Float32Array(bits.buffer);
}
