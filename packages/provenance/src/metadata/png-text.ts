/**
 * PNG text chunks: insert `tEXt` / `iTXt` chunks into encoded PNG bytes (right after IHDR, so
 * they precede the image data as the spec recommends) and read them back. Compressed text
 * (`zTXt`, compressed `iTXt`) is reported by keyword but not inflated.
 */
import { crc32 } from '../math/crc32';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

export interface PngTextEntry {
  keyword: string;
  text: string;
  /** `iTXt` (UTF-8) or `tEXt` (Latin-1); `compressed` for zTXt / compressed iTXt (text empty). */
  kind: 'tEXt' | 'iTXt' | 'compressed';
}

function assertPng(bytes: Uint8Array, name: string): void {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b))
    throw new Error(`${name}: not a PNG file (bad signature)`);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

function latin1(text: string, what: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 255) throw new Error(`${what} is not Latin-1: use an iTXt chunk`);
    out[i] = c;
  }
  return out;
}

function checkKeyword(keyword: string): void {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword) || /^ | $| {2}/.test(keyword))
    throw new Error(`PNG text keyword "${keyword}" must be 1-79 Latin-1 characters`);
}

/** A tEXt chunk if the text is Latin-1, else an iTXt chunk (UTF-8). */
function textChunk(keyword: string, text: string): Uint8Array {
  checkKeyword(keyword);
  const key = latin1(keyword, 'keyword');
  if ([...text].every((c) => c.charCodeAt(0) <= 0xff)) {
    const body = latin1(text, 'text');
    const data = new Uint8Array(key.length + 1 + body.length);
    data.set(key);
    data.set(body, key.length + 1);
    return chunk('tEXt', data);
  }
  const body = new TextEncoder().encode(text);
  // keyword \0 compression-flag(0) method(0) language "" \0 translated "" \0 text
  const data = new Uint8Array(key.length + 5 + body.length);
  data.set(key);
  data.set(body, key.length + 5);
  return chunk('iTXt', data);
}

/** Walk the chunks: [type, dataStart, dataEnd] each. */
function* chunks(bytes: Uint8Array, name: string): Generator<[string, number, number]> {
  assertPng(bytes, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 8 + length;
    if (end + 4 > bytes.length) throw new Error(`${name}: truncated PNG chunk ${type}`);
    yield [type, at + 8, end];
    if (type === 'IEND') return;
    at = end + 4;
  }
  throw new Error(`${name}: PNG has no IEND chunk`);
}

/** New PNG bytes with the text entries inserted after IHDR. */
export function addPngText(
  png: Uint8Array,
  entries: Record<string, string>,
  name = 'PNG',
): Uint8Array {
  let ihdrEnd = -1;
  for (const [type, , end] of chunks(png, name)) {
    if (type === 'IHDR') ihdrEnd = end + 4;
    break;
  }
  if (ihdrEnd < 0) throw new Error(`${name}: PNG does not start with IHDR`);
  const extra = Object.entries(entries).map(([k, v]) => textChunk(k, v));
  const size = extra.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(png.length + size);
  out.set(png.subarray(0, ihdrEnd));
  let at = ihdrEnd;
  for (const c of extra) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(ihdrEnd), at);
  return out;
}

/** Every text entry of a PNG, in file order. */
export function readPngText(png: Uint8Array, name = 'PNG'): PngTextEntry[] {
  const out: PngTextEntry[] = [];
  const decoder = new TextDecoder();
  for (const [type, start, end] of chunks(png, name)) {
    if (type !== 'tEXt' && type !== 'iTXt' && type !== 'zTXt') continue;
    const data = png.subarray(start, end);
    const zero = data.indexOf(0);
    if (zero < 0) continue;
    const keyword = String.fromCharCode(...data.subarray(0, zero));
    if (type === 'tEXt') {
      out.push({ keyword, text: String.fromCharCode(...data.subarray(zero + 1)), kind: 'tEXt' });
    } else if (type === 'zTXt' || data[zero + 1] === 1) {
      out.push({ keyword, text: '', kind: 'compressed' });
    } else {
      const lang = data.indexOf(0, zero + 3);
      const translated = lang < 0 ? -1 : data.indexOf(0, lang + 1);
      if (translated < 0) continue;
      out.push({ keyword, text: decoder.decode(data.subarray(translated + 1)), kind: 'iTXt' });
    }
  }
  return out;
}
