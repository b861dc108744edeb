/**
 * The safetensors container (Hugging Face's format): an 8-byte little-endian header length N,
 * N bytes of JSON `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {k: string}}`,
 * then the raw little-endian tensor bytes. Chosen so that @th checkpoints open directly in
 * PyTorch (`safetensors.torch.load_file`) and on the Hugging Face Hub. Platform-neutral.
 */

export type SafetensorsDtype = 'F32' | 'I32' | 'U8' | 'F16' | 'BF16' | 'F64' | 'I64';

export interface RawTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** Little-endian bytes, exactly product(shape) * itemSize(dtype) long. */
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

const ITEM_SIZE: Record<SafetensorsDtype, number> = {
  F32: 4,
  I32: 4,
  U8: 1,
  F16: 2,
  BF16: 2,
  F64: 8,
  I64: 8,
};

export function itemSize(dtype: string): number {
  const size = ITEM_SIZE[dtype as SafetensorsDtype];
  if (!size) throw new Error(`unsupported safetensors dtype "${dtype}"`);
  return size;
}

const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Serialise tensors (written in name order, 8-byte aligned header) plus string metadata. */
export function encodeSafetensors(
  tensors: Map<string, RawTensor>,
  metadata: Record<string, string>,
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const expected = numel(t.shape) * itemSize(t.dtype);
    if (t.bytes.byteLength !== expected) {
      throw new Error(
        `tensor "${name}": ${t.bytes.byteLength} bytes for shape [${t.shape}] ${t.dtype} (expected ${expected})`,
      );
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + expected] };
    offset += expected;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8); // align the data section
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const bytes = tensors.get(name)!.bytes;
    out.set(bytes, pos);
    pos += bytes.byteLength;
  }
  return out;
}

/**
 * Parse a safetensors buffer, checking every structural invariant (header length in bounds,
 * valid JSON, known dtypes, offsets inside the data and matching each shape, no overlaps), so a
 * truncated or corrupted file is refused with a message that says what is wrong. `source`
 * names the file in errors.
 */
export function decodeSafetensors(buf: Uint8Array, source = 'checkpoint'): SafetensorsFile {
  const fail = (why: string): never => {
    throw new Error(`${source}: not a valid safetensors file: ${why}`);
  };
  if (buf.byteLength < 8) fail(`only ${buf.byteLength} bytes`);
  const n = Number(new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true));
  if (n <= 0 || 8 + n > buf.byteLength)
    fail(`header length ${n} exceeds file size ${buf.byteLength} (truncated?)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(8, 8 + n)));
  } catch (err) {
    return fail(`header is not JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header is not an object');
  const data = buf.subarray(8 + n);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries((header.__metadata__ as Record<string, unknown>) ?? {})) {
    if (typeof v !== 'string') fail(`metadata "${k}" is not a string`);
    metadata[k] = v as string;
  }
  const tensors = new Map<string, RawTensor>();
  const spans: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype?: string; shape?: unknown; data_offsets?: unknown };
    if (!e || typeof e.dtype !== 'string' || !(e.dtype in ITEM_SIZE))
      fail(`tensor "${name}" has unsupported dtype ${String(e?.dtype)}`);
    const shape = e.shape as number[];
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0))
      fail(`tensor "${name}" has invalid shape`);
    const offs = e.data_offsets as number[];
    if (!Array.isArray(offs) || offs.length !== 2)
      fail(`tensor "${name}" has invalid data_offsets`);
    const [begin, end] = offs as [number, number];
    if (!(begin >= 0 && end >= begin && end <= data.byteLength)) {
      fail(
        `tensor "${name}" spans bytes [${begin}, ${end}) but the data section has ${data.byteLength} (truncated?)`,
      );
    }
    const expected = numel(shape) * itemSize(e.dtype!);
    if (end - begin !== expected)
      fail(`tensor "${name}" has ${end - begin} bytes, shape [${shape}] needs ${expected}`);
    spans.push([begin, end, name]);
    // Copy so the tensor owns aligned memory regardless of the header length. (Uint8Array's own
    // slice: on a Node Buffer, `.slice` returns a view into the shared pool instead of a copy.)
    tensors.set(name, {
      dtype: e.dtype as SafetensorsDtype,
      shape,
      bytes: Uint8Array.prototype.slice.call(data, begin, end),
    });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1])
      fail(`tensors "${spans[i - 1]![2]}" and "${spans[i]![2]}" overlap`);
  }
  return { tensors, metadata };
}
