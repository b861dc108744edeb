// Few-shot reenactment of a photo set with @th/infer: build a subject from K photos of one person,
// drive it with a clip (here another person: cross-identity, with face-shape adaptation), and
// write the video plus a panels video (driver | landmark image | layout | output).
//
//   node main.mjs [--sources a.png b.png ...] [--driver clip.mp4] [--out out.mp4] [--frames 48] [--check]
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledModelPath, reenact } from '@th/infer/node';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const fixtures = new URL('../../fixtures/voxceleb2/', import.meta.url).pathname;
const photoDir = join(fixtures, 'frames/train/id00061/mMOd25Ag7XY');
const sources = args.includes('--sources')
  ? args.slice(args.indexOf('--sources') + 1).filter((a) => !a.startsWith('--'))
  : readdirSync(photoDir).map((f) => join(photoDir, f));
const out = flag('out', join(mkdtempSync(join(tmpdir(), 'th-reenact-')), 'out.mp4'));

const result = await reenact({
  checkpoint: bundledModelPath(), // the small lsr-64 model @th/infer ships; any .safetensors works
  sources,
  driver: flag('driver', join(fixtures, 'videos/id00017/OLguY5ofUrY/00039.mp4')),
  out,
  panels: true,
  adaptShape: true, // keep the source's face shape, take only the driver's motion (beyond the paper)
  maxFrames: Number(flag('frames', 48)),
  onMissingFace: 'skip',
  progress: false,
  log: (line) => console.log(line),
});
console.log(
  `${result.framesWritten} frames, ${result.meanTimings.totalMs.toFixed(0)} ms per frame`,
);
for (const file of result.outputs) console.log(`wrote ${file} (${statSync(file).size} bytes)`);
if (
  args.includes('--check') &&
  !(result.framesWritten > 0 && result.outputs.every((f) => existsSync(f)))
) {
  console.error('expected a video and a panels video with frames');
  process.exit(1);
}
process.exit(0);
