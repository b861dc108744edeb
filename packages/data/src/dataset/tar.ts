/**
 * Minimal POSIX ustar (tar) writer and reader for the dataset shards. Tar was chosen over a custom
 * container because it streams (512-byte header, payload, zero padding to 512), needs no index,
 * and every shard can be listed and unpacked with the standard `tar` tool for debugging.
 *
 * Only regular files are written; mtime, uid and gid are 0 so that the same content gives the same
 * bytes (and so the same SHA-256) on every run and machine.
 */

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface TarMember {
  name: string;
  data: Uint8Array;
}

/** Write `value` as zero-padded octal with a trailing NUL into `field` bytes at `offset`. */
function putOctal(header: Uint8Array, offset: number, field: number, value: number): void {
  const text = value.toString(8).padStart(field - 1, '0');
  if (text.length > field - 1) throw new Error(`tar: value ${value} does not fit ${field} bytes`);
  header.set(encoder.encode(text), offset);
}

function putString(header: Uint8Array, offset: number, field: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > field) throw new Error(`tar: "${value}" is longer than ${field} bytes`);
  header.set(bytes, offset);
}

/** Split a path into ustar's name (≤100 bytes) and prefix (≤155 bytes) at a slash. */
function splitName(name: string): [string, string] {
  if (encoder.encode(name).length <= 100) return [name, ''];
  for (let cut = name.indexOf('/'); cut >= 0; cut = name.indexOf('/', cut + 1)) {
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(rest).length <= 100) {
      return [rest, prefix];
    }
  }
  throw new Error(`tar: member name too long for ustar: ${name}`);
}

/** One tar member: header block + data + padding, as a single byte array. */
export function tarMember(name: string, data: Uint8Array): Uint8Array {
  const padded = Math.ceil(data.length / BLOCK) * BLOCK;
  const out = new Uint8Array(BLOCK + padded);
  const header = out.subarray(0, BLOCK);
  const [short, prefix] = splitName(name);
  putString(header, 0, 100, short);
  putOctal(header, 100, 8, 0o644); // mode
  putOctal(header, 108, 8, 0); // uid
  putOctal(header, 116, 8, 0); // gid
  putOctal(header, 124, 12, data.length);
  putOctal(header, 136, 12, 0); // mtime: fixed for reproducible shards
  header[156] = 0x30; // typeflag '0': regular file
  putString(header, 257, 6, 'ustar'); // magic "ustar\0"
  putString(header, 263, 2, '00');
  putString(header, 345, 155, prefix);
  // Checksum: byte sum of the header with the checksum field read as eight spaces.
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  putString(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  out.set(data, BLOCK);
  return out;
}

/** The two zero blocks that end a tar archive. */
export function tarEnd(): Uint8Array {
  return new Uint8Array(2 * BLOCK);
}

function readString(bytes: Uint8Array, offset: number, field: number): string {
  const slice = bytes.subarray(offset, offset + field);
  const end = slice.indexOf(0);
  return decoder.decode(end < 0 ? slice : slice.subarray(0, end));
}

function readOctal(bytes: Uint8Array, offset: number, field: number): number {
  const text = readString(bytes, offset, field).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/**
 * Parse consecutive tar members from `bytes` (a whole shard or the slice of one utterance), stop
 * at the end-of-archive zero block. `source` names the shard in errors; checksums are verified.
 */
export function parseTar(bytes: Uint8Array, source: string): TarMember[] {
  const members: TarMember[] = [];
  let at = 0;
  let ended = false;
  while (at + BLOCK <= bytes.length) {
    const header = bytes.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) {
      ended = true;
      break;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    const stored = readOctal(header, 148, 8);
    if (sum !== stored) throw new Error(`${source}: corrupt tar header at byte ${at}`);
    const size = readOctal(header, 124, 12);
    const prefix = readString(header, 345, 155);
    const short = readString(header, 0, 100);
    const name = prefix ? `${prefix}/${short}` : short;
    if (at + BLOCK + size > bytes.length) {
      throw new Error(`${source}: truncated tar member ${name} at byte ${at}`);
    }
    members.push({ name, data: bytes.subarray(at + BLOCK, at + BLOCK + size) });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  // A slice of whole members ends exactly at a member boundary; anything else was cut short.
  if (!ended && at !== bytes.length)
    throw new Error(`${source}: truncated tar header at byte ${at}`);
  return members;
}
