// Test helper (not exported from the package): builds safetensors bytes by hand, independently of
// the reader under test.

export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  bytes: Uint8Array;
}

/** 8-byte little-endian header length, JSON header, then the raw tensor bytes in order. */
export function safetensorsBytes(entries: SafetensorsEntry[]): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const e of entries) {
    header[e.name] = {
      dtype: e.dtype,
      shape: e.shape,
      data_offsets: [offset, offset + e.bytes.length],
    };
    offset += e.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const e of entries) {
    out.set(e.bytes, pos);
    pos += e.bytes.length;
  }
  return out;
}

/** An F32 entry of `shape` filled with `value`. */
export function f32Entry(name: string, shape: number[], value = 0): SafetensorsEntry {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value);
  return { name, dtype: 'F32', shape, bytes: new Uint8Array(data.buffer) };
}
