// Train a small LSR model from a script (no CLI): stage 1 (layout pre-training against the oracle
// segmentation), then stage 2 (the full adversarial pipeline) warm-started from stage 1.
//
//   node main.mjs [--steps 100] [--data DATASET_OR_FOLDER] [--landmarks detect|FILE.json] [--tiny]
//
// --data is a dataset made by `th-data prepare --resolution 64`, or a folder of frames/clips that
// trainRun prepares (once, into a cache) first. The default is the repository's fixture frames
// with their committed landmarks. --tiny narrows the lsr-64 widths so a CI smoke run takes seconds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@th/backend';
import { defaultTrainConfig, trainRun } from '@th/train/node';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const here = new URL('.', import.meta.url).pathname;
const data = flag('data', join(here, '../../fixtures/voxceleb2/frames'));
const landmarks = flag(
  'landmarks',
  args.includes('--data') ? 'detect' : join(here, '../../fixtures/voxceleb2/landmarks.json'),
);
const steps = Number(flag('steps', 100));
const runs = mkdtempSync(join(tmpdir(), 'th-example-runs-'));
const tiny = args.includes('--tiny')
  ? {
      layoutGenerator: { baseWidth: 4, maxWidth: 16 },
      imageGenerator: { baseWidth: 4, maxWidth: 16, spadeHidden: 8 },
      encoder: { baseWidth: 4, maxWidth: 16 },
      discriminator: { baseWidth: 4, maxWidth: 16 },
      latentDim: 16,
    }
  : {};

await init({ backend: 'auto' });

// One config object drives everything; start from the defaults and override what you need.
const base = defaultTrainConfig();
const common = {
  ...base,
  model: tiny,
  steps,
  batch: 2,
  k: 2,
  // One input for both stages: the dataset (a folder is prepared into runs/datasets once).
  data: { ...base.data, path: data, landmarks },
  run: { parent: runs, desc: null },
  checkpointEvery: steps,
  sampleEvery: steps,
};
const stage1 = await trainRun({ ...common, stage: 1 }, { log: () => {} });
console.log(`stage 1: ${stage1.runDir}`);
const stage1Checkpoint = join(
  stage1.runDir,
  'checkpoints',
  `step-${String(stage1.step).padStart(7, '0')}.safetensors`,
);
const stage2 = await trainRun({ ...common, stage: 2, init: stage1Checkpoint }, { log: () => {} });
console.log(`stage 2: ${stage2.runDir}`);

for (const run of [stage1, stage2]) {
  const rows = run.rows.filter((r) => r.losses);
  const first = rows[0].losses;
  const last = rows[rows.length - 1].losses;
  const term = 'layoutCrossEntropy' in first ? 'layoutCrossEntropy' : 'g.l1';
  console.log(
    `${run.runDir}: ${rows.length} steps, ${term} ${first[term].toFixed(4)} -> ${last[term].toFixed(4)}`,
  );
}
process.exit(0);
