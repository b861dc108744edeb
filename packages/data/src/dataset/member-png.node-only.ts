/**
 * Node-only: the PNG members of a dataset shard, written and read with decoding speed in mind,
 * because decoding is the loader's main cost.
 *
 * Writing (`encodeMemberPng`): 8-bit RGB or grayscale with one fixed row filter instead of
 * pngjs' adaptive choice (which picks Paeth on photos): "Up" for frames (+12 % bytes on a
 * VoxCeleb2 frame, half the decoding time) and "None" for landmark images and segmentations
 * (mostly black: as small as adaptive, a third of the decoding time).
 *
 * Reading (`decodeMemberPng`): chunks are walked, IDAT inflated by node:zlib, and the PNG row
 * filters undone in place, straight into the bytes the loader hands out (any filter, so datasets
 * written otherwise still load). Anything else is refused, naming the member.
 */
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG row filter types (pngjs `filterType`). */
const FILTER_NONE = 0;
const FILTER_UP = 2;

/**
 * Encode a stored member: `channels` 3 = a frame (RGB, Up filter), 3 with `sparse` = a landmark
 * image (RGB, no filter), 1 = a segmentation (gray, no filter).
 */
export function encodeMemberPng(
  data: Uint8Array,
  size: number,
  kind: 'frame' | 'landmarks' | 'segmentation',
): Buffer {
  const channels = kind === 'segmentation' ? 1 : 3;
  if (data.length !== size * size * channels)
    throw new Error(`encodeMemberPng: ${data.length} bytes for a ${size}x${size} ${kind}`);
  const colorType = channels === 3 ? 2 : 0;
  const png = new PNG({
    width: size,
    height: size,
    colorType,
    inputColorType: colorType,
    inputHasAlpha: false,
  });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const filterType = kind === 'frame' ? FILTER_UP : FILTER_NONE;
  return PNG.sync.write(png, {
    colorType,
    inputColorType: colorType,
    inputHasAlpha: false,
    filterType,
  } as never);
}

export interface MemberImage {
  width: number;
  height: number;
  /** 3 (RGB) or 1 (gray) bytes per pixel, row-major */
  data: Uint8Array;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** Decode a stored member; `channels` is what the member must hold (3 = RGB, 1 = class ids). */
export function decodeMemberPng(bytes: Uint8Array, name: string, channels: 1 | 3): MemberImage {
  if (bytes.length < 33 || SIGNATURE.some((v, i) => bytes[i] !== v))
    throw new Error(`${name}: not a PNG`);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (at + 8 <= bytes.length) {
    const len = u32(bytes, at);
    const type = String.fromCharCode(
      bytes[at + 4]!,
      bytes[at + 5]!,
      bytes[at + 6]!,
      bytes[at + 7]!,
    );
    const body = at + 8;
    if (body + len + 4 > bytes.length) throw new Error(`${name}: truncated PNG (${type} chunk)`);
    if (type === 'IHDR') {
      width = u32(bytes, body);
      height = u32(bytes, body + 4);
      const depth = bytes[body + 8];
      const colour = bytes[body + 9];
      const interlace = bytes[body + 12];
      const expected = channels === 3 ? 2 : 0;
      if (depth !== 8 || colour !== expected || interlace !== 0)
        throw new Error(
          `${name}: expected an 8-bit ${channels === 3 ? 'RGB' : 'grayscale'} PNG as th-data writes, got depth ${depth} colour type ${colour}${interlace ? ' interlaced' : ''}`,
        );
    } else if (type === 'IDAT') idat.push(bytes.subarray(body, body + len));
    else if (type === 'IEND') break;
    at = body + len + 4;
  }
  if (!width || !height || idat.length === 0) throw new Error(`${name}: PNG without IHDR/IDAT`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat));
  } catch (e) {
    throw new Error(`${name}: corrupt PNG data (${(e as Error).message})`);
  }
  const stride = width * channels;
  if (raw.length !== height * (stride + 1))
    throw new Error(`${name}: PNG data is ${raw.length} bytes, expected ${height * (stride + 1)}`);
  const out = new Uint8Array(height * stride);
  const zero = new Uint8Array(stride);
  const bpp = channels;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : zero;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    unfilterRow(filter, src, cur, prev, bpp, name, y);
  }
  return { width, height, data: out };
}

/**
 * Undo one row's PNG filter (types 0–4) into `cur`, given the decoded previous row. The loops
 * have no bounds branches: the first pixel (no left neighbour) is handled apart.
 */
function unfilterRow(
  filter: number,
  src: Uint8Array,
  cur: Uint8Array,
  prev: Uint8Array,
  bpp: number,
  name: string,
  y: number,
): void {
  const n = src.length;
  switch (filter) {
    case 0:
      cur.set(src);
      return;
    case 1:
      for (let x = 0; x < bpp; x++) cur[x] = src[x]!;
      for (let x = bpp; x < n; x++) cur[x] = (src[x]! + cur[x - bpp]!) & 255;
      return;
    case 2:
      for (let x = 0; x < n; x++) cur[x] = (src[x]! + prev[x]!) & 255;
      return;
    case 3:
      for (let x = 0; x < bpp; x++) cur[x] = (src[x]! + (prev[x]! >> 1)) & 255;
      for (let x = bpp; x < n; x++) cur[x] = (src[x]! + ((cur[x - bpp]! + prev[x]!) >> 1)) & 255;
      return;
    case 4:
      // Paeth with no left neighbour predicts the byte above.
      for (let x = 0; x < bpp; x++) cur[x] = (src[x]! + prev[x]!) & 255;
      for (let x = bpp; x < n; x++) {
        const a = cur[x - bpp]!;
        const b = prev[x]!;
        const c = prev[x - bpp]!;
        let pa = b - c;
        let pb = a - c;
        let pc = pa + pb;
        if (pa < 0) pa = -pa;
        if (pb < 0) pb = -pb;
        if (pc < 0) pc = -pc;
        cur[x] = (src[x]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
      return;
    default:
      throw new Error(`${name}: bad PNG row filter ${filter} in row ${y}`);
  }
}
