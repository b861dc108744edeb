/**
 * Milliseconds per frame of a subject's synthesis at batch 1 (latents cached), replayed from a
 * captured graph against eager, as `renderFrame` runs it: the bundled model (or --checkpoint),
 * a subject from two synthetic-landmark frames, synthetic driving landmarks; each timed frame
 * ends with the read-back of its bytes.
 *
 *   npm run synthesis-speed -w @th/infer -- [--backend webgpu] [--frames 20] [--checkpoint FILE]
 *
 * Prints one JSON line: median ms and frames/s per path, kernels per replayed frame, and the
 * tfjs kernels and GPU dispatches of an eager frame (webgpu). A timing, not a test: on lavapipe
 * (WebGPU on the CPU) it says how much of a frame is per-op overhead there, not GPU speed.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendPreference, countKernels, init } from '@th/backend';
import { landmarkImageAt } from '@th/data';
import { imagesToTensor } from '../src/image/tensor-images';
import { loadModel } from '../src/model/load-model';
import { bundledModelPath } from '../src/node/bundled-model.node-only';
import { createSubject } from '../src/subject/create-subject';
import { syntheticFace } from '../src/testing/synthetic-face';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'webgpu' },
    frames: { type: 'string', default: '20' },
    checkpoint: { type: 'string', default: bundledModelPath() },
  },
});
const count = Number(values.frames);
if (!(Number.isInteger(count) && count > 0))
  throw new Error(`--frames must be a positive integer, got ${values.frames}`);
const backend = await init({ backend: values.backend as BackendPreference });
const { model } = await loadModel(values.checkpoint);
const r = model.config.resolution;
const grey = (v: number) => ({ width: r, height: r, data: new Uint8Array(r * r * 3).fill(v) });
const subject = await createSubject({
  model,
  frames: [grey(90), grey(160)],
  landmarks: [syntheticFace(r, 0), syntheticFace(r, 4)],
});
const drivers = Array.from({ length: count }, (_, i) =>
  imagesToTensor([landmarkImageAt(syntheticFace(r, 8 * Math.abs(Math.sin(i / 3))), r)]),
);
const log = (line: string) => console.error(line);

async function frame(l: tf.Tensor4D, capture: boolean): Promise<void> {
  const out = subject.synthesis.run(l, { capture, log });
  await out.bytes.data();
  tf.dispose([out.image, out.bytes, out.classes]);
}

async function time(capture: boolean): Promise<{ medianMs: number; fps: number }> {
  for (let i = 0; i < 3; i++) await frame(drivers[i % count]!, capture); // capture, warm-up
  const ms: number[] = [];
  for (const l of drivers) {
    const t0 = performance.now();
    await frame(l, capture);
    ms.push(performance.now() - t0);
  }
  ms.sort((x, y) => x - y);
  const medianMs = ms[Math.floor(ms.length / 2)]!;
  return { medianMs: +medianMs.toFixed(2), fps: +(1000 / medianMs).toFixed(2) };
}

const eager = await time(false);
const captured = await time(true);
const status = subject.synthesis.status;
const counts =
  backend.backend === 'webgpu' ? await countKernels(() => frame(drivers[0]!, false)) : null;
console.log(
  JSON.stringify({
    backend: backend.backend,
    preset: `${r}px`,
    frames: count,
    eager,
    captured: { ...captured, path: status.path, reason: status.reason },
    kernelsPerReplay: status.kernelsPerFrame,
    eagerFrame: counts && { tfjsKernels: counts.kernels, dispatches: counts.dispatches },
  }),
);
tf.dispose(drivers);
subject.dispose();
model.dispose();
process.exit(0);
