// Regenerates fixtures/voxceleb2/landmarks.json: the face-api 68-point landmarks of the 24 fixture
// frames (frames/train and frames/test), made exactly as `th-data prepare` makes them (one video
// folder = one utterance: the face found once and tracked), as a landmark file for
// `th-data prepare fixtures/voxceleb2/frames --landmarks fixtures/voxceleb2/landmarks.json`
// (keys: frame paths relative to frames/, values: 68 [x, y] pairs or null). Tests read this file
// instead of running the detector.
//
//   npm run build -w @th/data && node packages/data/scripts/fixture-landmarks.mjs
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDataset, readManifest, readUtteranceMembers } from '@th/data/node';

const frames = fileURLToPath(new URL('../../../fixtures/voxceleb2/frames/', import.meta.url));
const out = await mkdtemp(join(tmpdir(), 'th-fixture-landmarks-'));
// The fixture frames are 224x224, so landmarks stored at 224 are in the frames' own pixels.
await prepareDataset({ input: frames, out, resolution: 224, workers: 0, landmarks: 'detect' });
const file = {};
for (const entry of await readManifest(out)) {
  const members = await readUtteranceMembers(out, entry);
  const meta = JSON.parse(new TextDecoder().decode(members[0].data));
  for (const [i, id] of meta.frames.entries())
    file[`${entry.key}/${id}_rgb.png`] = meta.landmarks[i];
}
const target = fileURLToPath(
  new URL('../../../fixtures/voxceleb2/landmarks.json', import.meta.url),
);
await writeFile(target, `${JSON.stringify(file)}\n`);
await rm(out, { recursive: true, force: true });
console.log(`wrote ${Object.keys(file).length} frames to ${target}`);
