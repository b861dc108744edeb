// Build-time assets for the demo (run by `npm run build` before `vite build`): everything the page
// loads comes from its own origin, so this copies or computes it into public/.
//  - tfjs wasm binaries           → public/wasm/
//  - face-api detector weights    → public/models/face-api/ (SSD MobileNet v1 + landmark68 only)
//  - sample source frames         → public/samples/<id>/<frame>.png + 68-point landmarks
//  - a landmark clip (the driver) → public/samples/clip.json, landmarks of a fixture video
//  - the checkpoint named in src/assets.json: "bundled" copies @th/infer's bundled model; a
//    missing "<preset>-untrained.safetensors" is written as a random-init model (seed 0).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = resolve(app, '../../fixtures/voxceleb2');
const pub = join(app, 'public');
const req = createRequire(import.meta.url);
const assets = JSON.parse(await readFile(join(app, 'src/assets.json'), 'utf8'));
const log = (line) => console.log(`[prepare-assets] ${line}`);

async function copyWasm() {
  const dir = dirname(req.resolve('@tensorflow/tfjs-backend-wasm'));
  await mkdir(join(pub, 'wasm'), { recursive: true });
  for (const f of [
    'tfjs-backend-wasm.wasm',
    'tfjs-backend-wasm-simd.wasm',
    'tfjs-backend-wasm-threaded-simd.wasm',
  ]) {
    await copyFile(join(dir, f), join(pub, 'wasm', f));
  }
}

async function copyFaceApiModels() {
  const dir = join(dirname(req.resolve('@vladmandic/face-api/package.json')), 'model');
  const out = join(pub, 'models/face-api');
  await mkdir(out, { recursive: true });
  for (const net of ['ssd_mobilenetv1_model', 'face_landmark_68_model']) {
    for (const ext of ['-weights_manifest.json', '.bin']) {
      await copyFile(join(dir, net + ext), join(out, net + ext));
    }
  }
}

/** Landmarks of every sample frame and of the clip, computed once (skipped when up to date). */
async function samplesAndClip() {
  const out = join(pub, 'samples');
  const indexFile = join(out, 'index.json');
  const clipFile = join(out, 'clip.json');
  const stamp = JSON.stringify({ samples: assets.samples, clip: assets.clip });
  if (existsSync(indexFile) && existsSync(clipFile)) {
    const previous = JSON.parse(await readFile(indexFile, 'utf8'));
    if (previous.stamp === stamp) return log('samples and clip up to date');
  }
  const data = await import('@th/data/node');
  const detector = await data.createFaceApiDetector();
  const round = (pts) =>
    pts.map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]);
  const samples = [];
  for (const s of assets.samples) {
    await mkdir(join(out, s.id), { recursive: true });
    const frames = [];
    for (const f of s.frames) {
      const src = join(fixtures, 'frames', s.dir, `${f}_rgb.png`);
      await copyFile(src, join(out, s.id, `${f}.png`));
      const { image } = await data.readImage(src);
      const landmarks = await detector.detect(image);
      if (!landmarks) throw new Error(`prepare-assets: no face found in ${src}`);
      frames.push({
        file: `samples/${s.id}/${f}.png`,
        width: image.width,
        height: image.height,
        landmarks: round(landmarks),
      });
    }
    samples.push({ id: s.id, frames });
  }
  const video = join(fixtures, assets.clip.video);
  const indices = Array.from({ length: assets.clip.frames }, (_, i) => i);
  const decoded = await data.decodeVideoFrames(video, indices);
  const clipFrames = [];
  for (const frame of decoded) {
    const landmarks = await detector.detect(frame.image);
    // A frame without a face repeats the previous landmarks so the clip stays continuous.
    const fallback = clipFrames[clipFrames.length - 1];
    if (!landmarks && !fallback)
      throw new Error(`prepare-assets: no face in the first clip frame of ${video}`);
    clipFrames.push(landmarks ? round(landmarks) : fallback);
  }
  const first = decoded[0].image;
  const clip = {
    source: assets.clip.video,
    fps: assets.clip.fps,
    width: first.width,
    height: first.height,
    frames: clipFrames,
  };
  await writeFile(clipFile, JSON.stringify(clip));
  await writeFile(indexFile, JSON.stringify({ stamp, samples }, null, 1));
  detector.dispose();
  log(`${samples.length} sample identities, clip of ${clipFrames.length} frames`);
}

/**
 * The checkpoint: "bundled" in src/assets.json copies @th/infer's bundled model (named by
 * `bundledModel` in its package.json) under its own file name; another name is looked for in
 * public/models/, and one that says "untrained" (e.g. lsr-128-untrained.safetensors) is written
 * as a deterministic random-init model of the preset before "-untrained" when missing.
 */
async function checkpoint() {
  const { bundledModelPath } = await import('@th/infer/node');
  const bundled = assets.checkpoint === 'bundled';
  const name = bundled ? basename(bundledModelPath()) : assets.checkpoint;
  const file = join(pub, 'models', name);
  await mkdir(dirname(file), { recursive: true });
  if (bundled) {
    // Copied every build (a few MB), so a swapped bundled model never leaves a stale copy.
    await copyFile(bundledModelPath(), file);
    return log(`checkpoint ${name} copied from @th/infer's bundled model`);
  }
  if (existsSync(file)) return log(`checkpoint ${name} present`);
  const preset = /^(.+)-untrained\.safetensors$/.exec(name)?.[1];
  if (!preset) {
    throw new Error(
      `prepare-assets: public/models/${name} is missing (src/assets.json names it; "bundled" uses @th/infer's model)`,
    );
  }
  const { init } = await import('@th/backend');
  const { LsrModel, presetConfig, encodeCheckpoint } = await import('@th/models');
  await init({ backend: 'cpu' });
  const model = new LsrModel(presetConfig(preset), { discriminator: false }).initialize(0);
  const bytes = await encodeCheckpoint(model.stateDict(), {
    config: model.config,
    preset,
    step: 0,
    extra: { note: 'untrained: random init, seed 0' },
  });
  await writeFile(file, bytes);
  log(`wrote untrained ${preset} checkpoint (${(bytes.byteLength / 1e6).toFixed(1)} MB)`);
}

await copyWasm();
await copyFaceApiModels();
await samplesAndClip();
await checkpoint();
