// Keep only the tensors whose names start with the given prefixes (e.g. drop optimiser state):
//   node strip-checkpoint.mjs in.safetensors out.safetensors styleEncoder. layoutEncoder. ...
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeSafetensors } from '@th/backend';
import { decodeCheckpoint } from '@th/models';

const [src, dst, ...prefixes] = process.argv.slice(2);
const { tensors } = await decodeCheckpoint(new Uint8Array(readFileSync(src)), src);
const buf = new Uint8Array(readFileSync(src));
const n = Number(new DataView(buf.buffer, buf.byteOffset, 8).getBigUint64(0, true));
const header = JSON.parse(new TextDecoder().decode(buf.subarray(8, 8 + n)));
const keep = new Map([...tensors].filter(([k]) => prefixes.some((p) => k.startsWith(p))));
// Recompute the data hash for the kept tensors.
const sorted = [...keep.keys()].sort().map((k) => keep.get(k).bytes);
const all = new Uint8Array(sorted.reduce((s, b) => s + b.length, 0));
let o = 0;
for (const b of sorted) {
  all.set(b, o);
  o += b.length;
}
const hash = Buffer.from(await crypto.subtle.digest('SHA-256', all)).toString('hex');
writeFileSync(dst, encodeSafetensors(keep, { ...header.__metadata__, data_sha256: hash }));
console.log(`${keep.size} of ${tensors.size} tensors -> ${dst}`);
