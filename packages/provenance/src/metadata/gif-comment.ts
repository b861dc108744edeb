/**
 * GIF comment extensions (GIF89a, block 0x21 0xFE): insert one after the global colour table and
 * read all of them back. Comments are ASCII by the spec; other characters are escaped as \uXXXX.
 */

export function assertGif(bytes: Uint8Array, name: string): void {
  const head = String.fromCharCode(...bytes.subarray(0, 6));
  if (head !== 'GIF89a' && head !== 'GIF87a') throw new Error(`${name}: not a GIF file`);
}

function ascii(text: string): Uint8Array {
  const escaped = text.replace(/[^\x20-\x7e\n]/g, (c) =>
    c
      .split('')
      .map((u) => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join(''),
  );
  return Uint8Array.from(escaped, (c) => c.charCodeAt(0));
}

/** Offset just past the logical screen descriptor and global colour table. */
function headerEnd(gif: Uint8Array): number {
  const packed = gif[10]!;
  const table = packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0;
  return 13 + table;
}

/** Skip data sub-blocks starting at `at`; returns the offset after the terminator. */
function skipSubBlocks(gif: Uint8Array, at: number, name: string): number {
  while (at < gif.length) {
    const size = gif[at]!;
    at += 1 + size;
    if (size === 0) return at;
  }
  throw new Error(`${name}: truncated GIF data sub-blocks`);
}

/** New GIF bytes (upgraded to GIF89a) with a comment extension before the first frame. */
export function addGifComment(gif: Uint8Array, comment: string, name = 'GIF'): Uint8Array {
  assertGif(gif, name);
  const body = ascii(comment);
  const blocks: number[] = [0x21, 0xfe];
  for (let at = 0; at < body.length; at += 255) {
    const part = body.subarray(at, at + 255);
    blocks.push(part.length, ...part);
  }
  blocks.push(0);
  const at = headerEnd(gif);
  const out = new Uint8Array(gif.length + blocks.length);
  out.set(gif.subarray(0, at));
  out.set(blocks, at);
  out.set(gif.subarray(at), at + blocks.length);
  out.set([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]); // GIF89a: comment extensions need it
  return out;
}

/** The text of every comment extension, in file order. */
export function readGifComments(gif: Uint8Array, name = 'GIF'): string[] {
  assertGif(gif, name);
  const comments: string[] = [];
  let at = headerEnd(gif);
  while (at < gif.length) {
    const block = gif[at]!;
    if (block === 0x3b) return comments; // trailer
    if (block === 0x21) {
      const label = gif[at + 1]!;
      if (label === 0xfe) {
        let text = '';
        let p = at + 2;
        while (p < gif.length && gif[p]! > 0) {
          text += String.fromCharCode(...gif.subarray(p + 1, p + 1 + gif[p]!));
          p += 1 + gif[p]!;
        }
        comments.push(text);
      }
      at = skipSubBlocks(gif, at + 2, name);
    } else if (block === 0x2c) {
      const packed = gif[at + 9]!;
      const local = packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0;
      at = skipSubBlocks(gif, at + 10 + local + 1, name);
    } else {
      throw new Error(`${name}: unexpected GIF block 0x${block.toString(16)} at byte ${at}`);
    }
  }
  return comments;
}
