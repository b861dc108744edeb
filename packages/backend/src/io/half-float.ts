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

/**
 * float32 → IEEE binary16 bit patterns, rounded to nearest (ties to even), subnormals kept,
 * beyond the largest finite half ±Infinity, NaN kept as a quiet NaN: what `roundToHalf` computes,
 * as the bits a safetensors F16 tensor stores (e.g. a checkpoint shipped in half precision).
 * Works on the float32 bits (exact and fast enough for tens of millions of weights).
 */
export function floatToHalfBits(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    const mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      out[i] = sign | 0x7c00 | (mantissa ? 0x200 : 0); // Infinity, or a quiet NaN
      continue;
    }
    const e = exponent - 127 + 15; // the half's biased exponent
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00; // too large: Infinity
      continue;
    }
    // Normal halves keep 10 of the 23 mantissa bits; subnormal ones (e <= 0) fewer, with the
    // implicit leading 1 made explicit. `shift` is how many low bits are dropped.
    const full = exponent === 0 ? mantissa : mantissa | 0x800000;
    const shift = e > 0 ? 13 : 14 - e;
    if (shift > 24) {
      out[i] = sign; // below half the smallest subnormal: ±0
      continue;
    }
    let kept = full >>> shift;
    const rest = full - kept * 2 ** shift;
    const half = 2 ** (shift - 1);
    if (rest > half || (rest === half && kept & 1)) kept++;
    // A normal half is its exponent above the 10 stored bits (the implicit 1, 0x400, removed); a
    // rounding carry (kept = 0x800) moves into the exponent, up to Infinity: the right result. A
    // subnormal that rounds up to 0x400 becomes the smallest normal half, also right.
    out[i] = e > 0 ? sign | ((e << 10) + kept - 0x400) : sign | kept;
  }
  return out;
}
