// Keep only the tensors whose names start with the given prefixes (e.g. drop optimiser state and
// the discriminator before shipping weights), through @th/models' pruneCheckpoint; --f16 stores
// the kept float32 tensors in half precision (half the size; loading widens them exactly):
//   node tools/device/strip-checkpoint.mjs [--f16] in.safetensors out.safetensors styleEncoder. ...
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pruneCheckpoint } from '@th/models';

const args = process.argv.slice(2);
const half = args[0] === '--f16';
const [src, dst, ...prefixes] = half ? args.slice(1) : args;
if (!src || !dst || prefixes.length === 0) {
  console.error('usage: node tools/device/strip-checkpoint.mjs [--f16] IN OUT PREFIX [PREFIX...]');
  process.exit(2);
}
const keep = (name) => prefixes.some((p) => name.startsWith(p));
const out = await pruneCheckpoint(new Uint8Array(readFileSync(src)), keep, src, { half });
writeFileSync(`${dst}.tmp`, out);
renameSync(`${dst}.tmp`, dst);
console.log(
  `${src} -> ${dst} (${out.byteLength} bytes${half ? ', F16' : ''}, prefixes ${prefixes.join(' ')})`,
);
