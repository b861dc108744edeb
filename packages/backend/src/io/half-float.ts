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

/**
 * Each value rounded to the nearest IEEE binary16 value (ties to even, subnormals kept, beyond
 * the largest finite half ±Infinity), returned as float32: what a GPU's f32 → f16 conversion
 * stores. The independent reference of the mixed-precision kernel tests.
 */
export function roundToHalf(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const a = Math.abs(x);
    if (!Number.isFinite(x) || a === 0) {
      out[i] = x;
      continue;
    }
    // Spacing of halves near a: 2^(e − 10), with e the exponent (at least −14: subnormals).
    const e = Math.max(-14, Math.floor(Math.log2(a)));
    const spacing = 2 ** (e - 10);
    const q = a / spacing; // exact: a power-of-two division
    const low = Math.floor(q);
    const rest = q - low;
    const n = rest > 0.5 || (rest === 0.5 && low % 2 === 1) ? low + 1 : low;
    const r = n * spacing;
    out[i] = Math.sign(x) * (r > 65504 ? Number.POSITIVE_INFINITY : r);
  }
  return out;
}
