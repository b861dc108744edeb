// Writes the model @th/infer ships (assets/lsr-64.safetensors): the repository's full trained
// checkpoint (assets/lsr-64.full.safetensors, with the discriminator that subject fine-tuning
// needs) without its discriminator, i.e. the inference weights only (E^s, E^l, G^l, G^I). Tensor
// bytes are copied unchanged and the data hash recomputed (@th/models' pruneCheckpoint), so the
// file is byte-for-byte reproducible:
//   npx turbo run build --filter=@th/models && node packages/infer/scripts/inference-checkpoint.mjs
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { pruneCheckpoint } from '@th/models';

const assets = new URL('../assets/', import.meta.url);
const full = new URL('lsr-64.full.safetensors', assets);
const shipped = new URL('lsr-64.safetensors', assets);
const out = await pruneCheckpoint(
  new Uint8Array(readFileSync(full)),
  (name) => !name.startsWith('discriminator.'),
  'lsr-64.full.safetensors',
);
const tmp = new URL('lsr-64.safetensors.tmp', assets);
writeFileSync(tmp, out);
renameSync(tmp, shipped);
console.log(`wrote ${shipped.pathname} (${out.byteLength} bytes, no discriminator)`);
