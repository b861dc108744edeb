import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../init';
import { rawToTensor } from './raw-tensor';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

describe('rawToTensor', () => {
  it('copies exactly its bytes even from a Buffer view', () => {
    const pool = Buffer.alloc(64);
    new Float32Array(pool.buffer, pool.byteOffset, 16).set(Array.from({ length: 16 }, (_, i) => i));
    const raw = { dtype: 'F32' as const, shape: [2], bytes: pool.subarray(8, 16) };
    expect(Array.from(rawToTensor(raw).dataSync())).toEqual([2, 3]);
  });
});

describe('rawToTensor F16', () => {
  it('widens IEEE half floats (normal, subnormal, negative, infinity) to float32', () => {
    const halves = new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00]);
    const raw = { dtype: 'F16' as const, shape: [5], bytes: new Uint8Array(halves.buffer) };
    expect(Array.from(rawToTensor(raw).dataSync())).toEqual([
      1,
      -2,
      0.333251953125,
      2 ** -24,
      Number.POSITIVE_INFINITY,
    ]);
  });
});

describe('rawToTensor BF16', () => {
  it('widens bfloat16 (the top half of a float32) exactly', () => {
    // By hand: 0x4049 → sign 0, exponent 128 (2^1), mantissa 0x49/128 → 2·(1 + 73/128);
    // 0x3EAB → 2^-2·(1 + 43/128); 0x0001 → float32 bits 0x00010000, the subnormal 2^16·2^-149.
    const halves = new Uint16Array([0x3f80, 0xc000, 0x4049, 0x3eab, 0x0001, 0xff80, 0x7fc1]);
    const raw = { dtype: 'BF16' as const, shape: [7], bytes: new Uint8Array(halves.buffer) };
    const t = rawToTensor(raw);
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.dataSync())).toEqual([
      1,
      -2,
      2 * (1 + 73 / 128),
      0.25 * (1 + 43 / 128),
      2 ** -133,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ]);
  });

  it('names the tensor when a dtype cannot be loaded', () => {
    const raw = { dtype: 'F64' as const, shape: [1], bytes: new Uint8Array(8) };
    expect(() => rawToTensor(raw, 'fc.weight')).toThrow(
      /"fc\.weight": dtype F64 cannot be loaded into tfjs \(only F32, F16, BF16 and I32\)/,
    );
  });
});
