import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, init, rawToTensor, roundToHalf } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, pruneCheckpoint } from './checkpoint';
import { assertMatch, matchState } from './match-state';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

function sampleState(): Record<string, tf.Tensor> {
  return {
    'enc.conv.weight': tf.tensor4d(
      Array.from({ length: 2 * 2 * 3 * 4 }, (_, i) => Math.sin(i) * 1e3),
      [2, 2, 3, 4],
    ),
    'enc.conv.bias': tf.tensor1d([0.5, -1.25, 3e-8, 7]),
    'gen.dense.weight': tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    'step.counter': tf.tensor1d([42, -7], 'int32'),
  };
}

describe('checkpoint', () => {
  it('round-trips tensors bit-exactly with metadata', async () => {
    const state = sampleState();
    const bytes = await encodeCheckpoint(state, {
      config: { width: 32 },
      preset: 'lsr-64',
      step: 123,
      versions: { '@th/models': '0.1.0' },
    });
    const { meta, tensors } = await decodeCheckpoint(bytes);
    expect(meta.preset).toBe('lsr-64');
    expect(meta.step).toBe(123);
    expect(meta.config).toEqual({ width: 32 });
    expect(meta.versions['@th/models']).toBe('0.1.0');
    expect(meta.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    for (const [name, t] of Object.entries(state)) {
      const back = rawToTensor(tensors.get(name)!, name);
      expect(back.shape).toEqual(t.shape);
      expect(back.dtype).toBe(t.dtype);
      expect(Array.from(await back.data())).toEqual(Array.from(await t.data()));
    }
  });

  it('writes the standard safetensors layout (8-byte LE header length, aligned data)', async () => {
    const bytes = await encodeCheckpoint(sampleState(), { config: null });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header['enc.conv.bias']).toEqual({
      dtype: 'F32',
      shape: [4],
      data_offsets: expect.any(Array),
    });
    const [b, e] = header['enc.conv.bias'].data_offsets;
    const floats = new Float32Array(bytes.slice(8 + n + b, 8 + n + e).buffer);
    expect(Array.from(floats)).toEqual([0.5, -1.25, Math.fround(3e-8), 7]);
  });

  it('refuses truncated files', async () => {
    const bytes = await encodeCheckpoint(sampleState(), { config: null });
    await expect(
      decodeCheckpoint(bytes.subarray(0, bytes.length - 10), 'a.safetensors'),
    ).rejects.toThrow(/a\.safetensors: .*truncated/);
    await expect(decodeCheckpoint(bytes.subarray(0, 20), 'b.safetensors')).rejects.toThrow(
      /header length .* exceeds file size/,
    );
    await expect(decodeCheckpoint(bytes.subarray(0, 3), 'c.safetensors')).rejects.toThrow(
      /only 3 bytes/,
    );
  });

  it('refuses corrupted tensor data and non-checkpoint files', async () => {
    const bytes = await encodeCheckpoint(sampleState(), { config: null });
    const corrupted = bytes.slice();
    corrupted[corrupted.length - 5]! ^= 0x40;
    await expect(decodeCheckpoint(corrupted, 'x.safetensors')).rejects.toThrow(
      /x\.safetensors: tensor data is corrupted/,
    );
    const text = new TextEncoder().encode('this is not a checkpoint at all, just some text');
    await expect(decodeCheckpoint(text, 'notes.txt')).rejects.toThrow(
      /notes\.txt: not a valid safetensors file/,
    );
  });

  it('rejects inconsistent headers', () => {
    const header = new TextEncoder().encode(
      JSON.stringify({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }),
    );
    const buf = new Uint8Array(8 + header.length + 8);
    new DataView(buf.buffer).setBigUint64(0, BigInt(header.length), true);
    buf.set(header, 8);
    expect(() => decodeSafetensors(buf, 'h')).toThrow(
      /tensor "w" has 8 bytes, shape \[3\] needs 12/,
    );
  });
});

describe('pruneCheckpoint', () => {
  it('keeps the chosen tensors bit-exactly with the description, and a valid hash', async () => {
    const a = tf.tensor([1.5, -2.25], [2]);
    const b = tf.tensor([[3, 4]], [1, 2], 'int32');
    const c = tf.tensor([7], [1]);
    const info = { config: { resolution: 64 }, preset: 'lsr-64', step: 12, examplesSeen: 48 };
    const full = await encodeCheckpoint({ 'net.a': a, 'net.b': b, 'opt.c': c }, info);
    const pruned = await pruneCheckpoint(
      full,
      (name) => name.startsWith('net.'),
      'full.safetensors',
    );
    const original = await decodeCheckpoint(full);
    const decoded = await decodeCheckpoint(pruned, 'pruned');
    expect([...decoded.tensors.keys()].sort()).toEqual(['net.a', 'net.b']);
    expect(decoded.tensors.get('net.a')).toEqual(original.tensors.get('net.a'));
    expect(decoded.tensors.get('net.b')).toEqual(original.tensors.get('net.b'));
    expect(decoded.meta).toMatchObject({
      config: { resolution: 64 },
      preset: 'lsr-64',
      step: 12,
      examplesSeen: 48,
      createdAt: original.meta.createdAt,
    });
    expect(decoded.meta.dataSha256).not.toBe(original.meta.dataSha256);
    await expect(pruneCheckpoint(full, () => false, 'full.safetensors')).rejects.toThrow(
      'full.safetensors: pruning would keep none of its 3 tensors',
    );
    tf.dispose([a, b, c]);
  });

  it('stores float32 tensors as F16 on request: half the bytes, each value rounded to nearest', async () => {
    const w = tf.tensor([0.1, -2.5, 1 / 3, 3e-7, 1e-9, 60000], [2, 3]);
    const n = tf.tensor([5, -6], [2], 'int32');
    const full = await encodeCheckpoint({ 'net.w': w, 'net.n': n, 'opt.m': w }, { config: {} });
    const half = await pruneCheckpoint(full, (x) => x.startsWith('net.'), 'full', { half: true });
    const { tensors } = await decodeCheckpoint(half, 'half');
    const stored = tensors.get('net.w')!;
    expect(stored.dtype).toBe('F16');
    expect(stored.bytes.byteLength).toBe(6 * 2);
    // roundToHalf is an independent (arithmetic) rounding of the same values.
    expect(Array.from(rawToTensor(stored, 'net.w').dataSync())).toEqual(
      Array.from(roundToHalf(w.dataSync())),
    );
    expect(tensors.get('net.n')).toEqual((await decodeCheckpoint(full)).tensors.get('net.n'));
    // A half-precision file still fits a float32 model (loading widens it).
    const spec = { 'net.w': { shape: [2, 3], dtype: 'float32' } };
    expect(matchState(spec, new Map([['net.w', stored]])).matched).toEqual(['net.w']);
    const ints = { 'net.w': { shape: [2, 3], dtype: 'int32' } };
    expect(matchState(ints, new Map([['net.w', stored]])).mismatched).toHaveLength(1);
    const big = tf.tensor([1, 70000], [2]);
    const tooBig = await encodeCheckpoint({ 'net.big': big }, { config: {} });
    await expect(
      pruneCheckpoint(tooBig, () => true, 'big.safetensors', { half: true }),
    ).rejects.toThrow(
      'big.safetensors: "net.big" holds 70000, beyond the half-precision range (±65504); keep it float32',
    );
    tf.dispose([w, n, big]);
  });
});

describe('matchState', () => {
  const expected = {
    'a.weight': { shape: [3, 3, 4, 8], dtype: 'float32' },
    'a.bias': { shape: [8], dtype: 'float32' },
    'b.weight': { shape: [8, 2], dtype: 'float32' },
  };
  const raw = (shape: number[]) => ({
    dtype: 'F32' as const,
    shape,
    bytes: new Uint8Array(shape.reduce((x, y) => x * y, 1) * 4),
  });

  it('names every missing, unexpected and mis-shaped tensor', () => {
    const found = new Map([
      ['a.weight', raw([3, 3, 4, 16])],
      ['a.bias', raw([8])],
      ['c.extra', raw([1])],
    ]);
    const report = matchState(expected, found);
    expect(report.matched).toEqual(['a.bias']);
    expect(report.missing).toEqual(['b.weight']);
    expect(report.unexpected).toEqual(['c.extra']);
    expect(() => assertMatch(report, {}, 'ck.safetensors')).toThrow(
      /ck\.safetensors does not fit this model:\n1 tensor\(s\) with the wrong shape or dtype:\n {2}a\.weight: model expects \[3, 3, 4, 8\] F32, file has \[3, 3, 4, 16\] F32\nmissing from the file: b\.weight\nnot in the model: c\.extra/,
    );
  });

  it('lists at most five tensors of each kind, then how many more', () => {
    const many: Record<string, { shape: number[]; dtype: string }> = {};
    const found = new Map<string, ReturnType<typeof raw>>();
    for (let i = 0; i < 20; i++) {
      many[`conv${i}.weight`] = { shape: [3, 3, 8, 8], dtype: 'float32' };
      found.set(`conv${i}.weight`, raw([3, 3, 8, 16]));
    }
    for (let i = 0; i < 7; i++) many[`gone${i}.bias`] = { shape: [8], dtype: 'float32' };
    const error = (() => {
      try {
        assertMatch(matchState(many, found), {}, 'big.safetensors');
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error!.split('\n')).toEqual([
      'big.safetensors does not fit this model:',
      '20 tensor(s) with the wrong shape or dtype:',
      ...[0, 1, 2, 3, 4].map(
        (i) => `  conv${i}.weight: model expects [3, 3, 8, 8] F32, file has [3, 3, 8, 16] F32`,
      ),
      '  and 15 more',
      'missing from the file: gone0.bias, gone1.bias, gone2.bias, gone3.bias, gone4.bias and 2 more',
    ]);
  });

  it('supports partial loading by prefix', () => {
    const found = new Map([
      ['b.weight', raw([8, 2])],
      ['z.other', raw([2])],
    ]);
    const report = assertMatch(matchState(expected, found, { only: ['b.'] }), { only: ['b.'] });
    expect(report.matched).toEqual(['b.weight']);
    expect(() =>
      assertMatch(matchState(expected, found, { only: ['q.'] }), { only: ['q.'] }),
    ).toThrow(/nothing matched the prefixes q\./);
  });
});

describe('checkpoint bytes from Node Buffers', () => {
  it('decodes identically from a pooled Buffer view (what fs.readFile returns)', async () => {
    const state = sampleState();
    const bytes = await encodeCheckpoint(state, { config: null });
    // A Buffer inside a larger pool, at an odd offset, like small fs reads.
    const pool = Buffer.alloc(bytes.length + 13);
    pool.set(bytes, 7);
    const view = pool.subarray(7, 7 + bytes.length);
    const { tensors } = await decodeCheckpoint(view);
    for (const [name, t] of Object.entries(state)) {
      const back = rawToTensor(tensors.get(name)!, name);
      expect(Array.from(await back.data())).toEqual(Array.from(await t.data()));
    }
  });
});
