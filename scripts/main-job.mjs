// The README's main job: few-shot self-reenactment of a bundled sample identity with the bundled
// model. 4 photos of id00017 (VoxCeleb2 sample) build the subject; a clip of the same person drives
// it. Writes out/main/reenact.mp4, out/main/reenact.panels.mp4 (driver | landmarks | layout |
// output), out/main/strip.png (6 driver frames above the 6 outputs they drove, evenly spaced over
// the clip, tiles of at least 128 px: the README's strip) and out/main/metrics.{json,md}: PSNR
// and SSIM of every output frame against the driver frame it reenacts (the same person, so the
// driver frame is the ground truth).
//
//   node scripts/main-job.mjs [--frames 48] [--backend auto] [--finetune] [--out out/main]
//                             [--checkpoint FILE] [--strip-frames 6]
// --checkpoint renders another model (e.g. a candidate for bundling) instead of the bundled one.
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resizeImage } from '@th/data';
import { encodeRgbPng } from '@th/data/node';
import { bundledFullCheckpointPath, bundledModelPath, imageGrid, reenact } from '@th/infer/node';
import { psnr, ssim } from '@th/metrics';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = new URL('..', import.meta.url).pathname;
const outDir = flag('out', join(root, 'out/main'));
const sampleDir = join(root, 'fixtures/voxceleb2/frames/train/id00017/OLguY5ofUrY');
const sources = readdirSync(sampleDir)
  .filter((f) => f.endsWith('_rgb.png'))
  .sort()
  .map((f) => join(sampleDir, f));
const driver = join(root, 'fixtures/voxceleb2/videos/id00017/OLguY5ofUrY/00039.mp4');
mkdirSync(outDir, { recursive: true });

const hwc = (img) => ({ data: img.data, width: img.width, height: img.height, channels: 3 });
const scores = [];
const started = performance.now();
// Fine-tuning trains D too: the shipped model holds the inference weights only, so --finetune
// takes the same trained model with its discriminator, kept in the repository.
const finetune = args.includes('--finetune');
const model = flag('checkpoint', finetune ? bundledFullCheckpointPath() : bundledModelPath());
const strip = []; // every frame's driver and output; 6 evenly spaced ones make strip.png
const result = await reenact({
  checkpoint: model,
  sources,
  driver,
  out: join(outDir, 'reenact.mp4'),
  panels: true,
  finetune,
  maxFrames: Number(flag('frames', 48)),
  backend: flag('backend', 'auto'),
  onMissingFace: 'skip',
  onFrame: ({ index, driver: real, output }) => {
    strip.push({ driver: real, output: output.image });
    scores.push({
      index,
      psnr: psnr(hwc(output.image), hwc(real)),
      ssim: ssim(hwc(output.image), hwc(real)),
    });
  },
});
const mean = (key) => scores.reduce((s, x) => s + x[key], 0) / Math.max(1, scores.length);
const summary = {
  model,
  sources: sources.map((s) => relative(root, s)),
  driver: relative(root, driver),
  framesWritten: result.framesWritten,
  skippedDriverFrames: result.skippedDriverFrames,
  psnr: mean('psnr'),
  ssim: mean('ssim'),
  meanMsPerFrame: result.meanTimings,
  wallSeconds: (performance.now() - started) / 1000,
  outputs: result.outputs.map((p) => relative(root, p)),
  notes: result.notes,
  perFrame: scores,
};
const write = (name, text) => {
  writeFileSync(join(outDir, `${name}.tmp`), text);
  renameSync(join(outDir, `${name}.tmp`), join(outDir, name));
};
write('metrics.json', `${JSON.stringify(summary, null, 2)}\n`);
if (strip.length) {
  const count = Math.min(Number(flag('strip-frames', 6)), strip.length);
  const picked = Array.from(
    { length: count },
    (_, i) => strip[Math.round((i * (strip.length - 1)) / Math.max(1, count - 1))],
  );
  const tile = Math.max(128, picked[0].output.width);
  const up = (image) => resizeImage(image, tile, tile);
  const grid = imageGrid([picked.map((p) => up(p.driver)), picked.map((p) => up(p.output))], 4);
  writeFileSync(join(outDir, 'strip.png.tmp'), encodeRgbPng(grid));
  renameSync(join(outDir, 'strip.png.tmp'), join(outDir, 'strip.png'));
}
write(
  'metrics.md',
  [
    '# Self-reenactment of id00017 (bundled sample, bundled model)',
    '',
    `Subject from ${sources.length} frames; driver ${summary.driver}, ${result.framesWritten} frames rendered.`,
    '',
    '| metric | mean over frames |',
    '|---|---|',
    `| PSNR (dB, skimage definition) | ${summary.psnr.toFixed(2)} |`,
    `| SSIM (skimage 7x7 uniform) | ${summary.ssim.toFixed(3)} |`,
    `| time per frame (ms) | ${result.meanTimings.totalMs.toFixed(0)} |`,
    '',
  ].join('\n'),
);
console.log(
  `\nwrote ${summary.outputs.join(', ')}, ${outDir}/strip.png, ${outDir}/metrics.{json,md}`,
);
console.log(
  `PSNR ${summary.psnr.toFixed(2)} dB, SSIM ${summary.ssim.toFixed(3)} over ${result.framesWritten} frames (${summary.wallSeconds.toFixed(0)} s)`,
);
process.exit(0);
