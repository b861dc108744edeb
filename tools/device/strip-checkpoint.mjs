// Keep only the tensors whose names start with the given prefixes (e.g. drop optimiser state and
// the discriminator before shipping weights), through @th/models' pruneCheckpoint:
//   node tools/device/strip-checkpoint.mjs in.safetensors out.safetensors styleEncoder. layoutEncoder. ...
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pruneCheckpoint } from '@th/models';

const [src, dst, ...prefixes] = process.argv.slice(2);
if (!src || !dst || prefixes.length === 0) {
  console.error('usage: node tools/device/strip-checkpoint.mjs IN OUT PREFIX [PREFIX...]');
  process.exit(2);
}
const keep = (name) => prefixes.some((p) => name.startsWith(p));
const out = await pruneCheckpoint(new Uint8Array(readFileSync(src)), keep, src);
writeFileSync(`${dst}.tmp`, out);
renameSync(`${dst}.tmp`, dst);
console.log(`${src} -> ${dst} (${out.byteLength} bytes, prefixes ${prefixes.join(' ')})`);
