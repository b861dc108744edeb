import { encodeSafetensors, init, type RawTensor } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNetworkArrays } from './safetensors-arrays';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

const raw = (dtype: RawTensor['dtype'], shape: number[], words: ArrayBufferView): RawTensor => ({
  dtype,
  shape,
  bytes: new Uint8Array(words.buffer, words.byteOffset, words.byteLength),
});

describe('readNetworkArrays (through @th/backend)', () => {
  const expected = [
    { name: 'a.weight', shape: [2, 1] },
    { name: 'b.bias', shape: [3] },
    { name: 'c.bias', shape: [2] },
  ];

  it('widens F16 and BF16 to float32 and leaves tensors it does not need alone', () => {
    const file = encodeSafetensors(
      new Map([
        ['a.weight', raw('F32', [2, 1], new Float32Array([1.5, -0.25]))],
        // F16 0x3555 = 2^-2 (1 + 341/1024); 0x0001 = 2^-24.
        ['b.bias', raw('F16', [3], new Uint16Array([0x3c00, 0x3555, 0x0001]))],
        // BF16 0x4049 = 2 (1 + 73/128); 0xbf80 = −1.
        ['c.bias', raw('BF16', [2], new Uint16Array([0x4049, 0xbf80]))],
        ['num_batches_tracked', raw('I64', [1], new BigInt64Array([7n]))],
      ]),
      {},
    );
    const arrays = readNetworkArrays(file, 'w.safetensors', 'fid', expected);
    expect([...arrays.keys()]).toEqual(['a.weight', 'b.bias', 'c.bias']);
    expect(Array.from(arrays.get('a.weight')!.data)).toEqual([1.5, -0.25]);
    expect(Array.from(arrays.get('b.bias')!.data)).toEqual([1, 0.25 * (1 + 341 / 1024), 2 ** -24]);
    expect(Array.from(arrays.get('c.bias')!.data)).toEqual([2 * (1 + 73 / 128), -1]);
  });

  it('refuses a non-float tensor, naming the file and the tensor', () => {
    const file = encodeSafetensors(
      new Map([
        ['a.weight', raw('F32', [2, 1], new Float32Array(2))],
        ['b.bias', raw('I32', [3], new Int32Array(3))],
        ['c.bias', raw('F32', [2], new Float32Array(2))],
      ]),
      {},
    );
    expect(() => readNetworkArrays(file, 'w.safetensors', 'fid', expected)).toThrow(
      /w\.safetensors: tensor "b\.bias" has dtype I32; expected F32, F16 or BF16/,
    );
  });
});
