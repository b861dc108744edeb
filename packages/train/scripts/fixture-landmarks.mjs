// Regenerates fixtures/voxceleb2/landmarks.json: the face-api 68-point landmarks of the 24 fixture
// frames (frames/train and frames/test), in the landmark-cache format `loadFolderStore` reads
// (keys `<train|test>/<identity>/<video>/NNNNN_rgb.png`, values 68 [x, y] pairs or null).
// Detection is the slow step of loading frames (~0.6 frames/s on 2 cores), so tests read this file.
//
//   npx tsup            # in packages/train (the script imports the built dist)
//   node packages/train/scripts/fixture-landmarks.mjs [--force]
//
// --force re-detects every frame; without it only frames missing from the file are detected.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { init } from '@th/backend';
import { loadFolderStore } from '@th/train/node';

const fixtures = fileURLToPath(new URL('../../../fixtures/voxceleb2/', import.meta.url));
const cache = `${fixtures}landmarks.json`;
if (process.argv.includes('--force')) await rm(cache, { force: true });

await init({ backend: 'wasm' });
// The resolution only affects the returned store, not the cached landmarks (detected at full size).
const options = { resolution: 64, landmarkCache: cache, log: (line) => console.log(line) };
for (const split of ['train', 'test']) await loadFolderStore(`${fixtures}frames/${split}`, options);
console.log(`wrote ${cache}`);
process.exit(0);
