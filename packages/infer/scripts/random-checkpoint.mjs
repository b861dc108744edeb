// Writes an UNTRAINED lsr-64 checkpoint (random init, seed 0) for trying the pipeline end to end
// before a trained model ships: `node scripts/random-checkpoint.mjs out.safetensors`.
// Its output is noise shaped by the landmarks; it demonstrates plumbing, not quality.
import { writeFile } from 'node:fs/promises';
import { init } from '@th/backend';
import { encodeCheckpoint, LsrModel, presetConfig } from '@th/models';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/random-checkpoint.mjs <out.safetensors>');
  process.exit(2);
}
await init({ backend: 'cpu' });
const model = new LsrModel(presetConfig('lsr-64')).initialize(0);
const bytes = await encodeCheckpoint(model.stateDict(), {
  config: model.config,
  preset: 'lsr-64',
  step: 0,
  versions: { '@th/models': '0.1.0' },
  extra: { note: 'random initialisation, untrained' },
});
await writeFile(out, bytes);
console.log(`wrote ${out} (${(bytes.length / 2 ** 20).toFixed(1)} MiB, untrained lsr-64)`);
