// A small program over @th's public API, compiled by a strict tsc in the consumer project and run:
// the bundled model renders a fixture identity driven by another frame's landmarks, and the
// output is scored against that frame. TH_FIXTURES: the repository's fixtures/voxceleb2 folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type InitReport, init } from '@th/backend';
import { type Landmarks68, type RgbImage, resizeImage } from '@th/data';
import { readImage } from '@th/data/node';
import {
  bundledModelPath,
  createSubject,
  formatModelSummary,
  type LoadedModel,
  loadModel,
  type RenderedFrame,
  renderFrame,
  summarizeModel,
} from '@th/infer/node';
import { psnr } from '@th/metrics';
import { PRESET_NAMES, type PresetName, presetConfig } from '@th/models';

const fixtures = process.env.TH_FIXTURES;
if (!fixtures) throw new Error('set TH_FIXTURES to the fixtures/voxceleb2 folder');
const report: InitReport = await init({ backend: 'wasm' });
const loaded: LoadedModel = await loadModel(bundledModelPath());
const summary = summarizeModel(loaded);
// Whichever model is bundled: its recorded preset is named in the summary and fits its config.
const preset = loaded.meta.preset as PresetName | null;
if (!preset || !PRESET_NAMES.includes(preset)) throw new Error(`unknown preset ${preset}`);
if (!formatModelSummary(summary).includes(preset)) throw new Error('summary names no preset');
if (loaded.model.config.resolution !== presetConfig(preset).resolution) throw new Error('preset');

const landmarks = JSON.parse(await readFile(join(fixtures, 'landmarks.json'), 'utf8')) as Record<
  string,
  Landmarks68 | null
>;
const video = 'train/id00017/OLguY5ofUrY';
const names = ['00000', '00001', '00002'].map((n) => `${video}/${n}_rgb.png`);
const frames: RgbImage[] = [];
for (const name of names) frames.push((await readImage(join(fixtures, 'frames', name))).image);
const subject = await createSubject({
  model: loaded.model,
  frames,
  landmarks: names.map((n) => landmarks[n] ?? null),
});
const target = `${video}/00003_rgb.png`;
const drive = landmarks[target];
if (!drive) throw new Error(`no landmarks for ${target}`);
const real = (await readImage(join(fixtures, 'frames', target))).image;
const frame: RenderedFrame = await renderFrame(subject, {
  landmarks: drive,
  width: real.width,
  height: real.height,
});
const size = loaded.model.config.resolution;
const truth = resizeImage(real, size, size);
const score = psnr(
  { data: truth.data, width: size, height: size, channels: 3 },
  { data: frame.image.data, width: size, height: size, channels: 3 },
);
subject.dispose();
// The bundled smoke model scores ~16 dB on this identity; an untrained one ~7 dB.
if (!(score > 12))
  throw new Error(`PSNR ${score} dB: the bundled model did not render the subject`);
console.log(
  `${report.backend} ${frame.image.width}x${frame.image.height} PSNR ${score.toFixed(2)} dB`,
);
