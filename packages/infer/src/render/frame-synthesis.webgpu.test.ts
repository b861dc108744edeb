import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { countKernels, init, setPrecision } from '@th/backend';
import { type Landmarks68, landmarkImageAt, mapLandmarks, squareFit } from '@th/data';
import { readImage } from '@th/data/node';
import type { LsrModel } from '@th/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagesToTensor } from '../image/tensor-images';
import { loadModel } from '../model/load-model';
import { bundledModelPath } from '../node/bundled-model.node-only';
import { createSubject } from '../subject/create-subject';
import type { Subject } from '../subject/subject';
import { FIXTURES } from '../testing/fixtures';
import type { SynthesizedFrames } from './frame-synthesis';
import { renderFrame } from './render-frame';

/**
 * Frame synthesis replayed from a captured graph on WebGPU (lavapipe on CPU-only machines), with
 * the bundled trained lsr-64 and two fixture people: the replay equals the eager path for
 * different driving frames, follows the subject and reassigned weights, and keeps to the GEMM
 * precision selected.
 */

const MARKS = JSON.parse(readFileSync(join(FIXTURES, 'landmarks.json'), 'utf8')) as Record<
  string,
  Landmarks68
>;
const PEOPLE = { a: 'id00017/OLguY5ofUrY', b: 'id00061/mMOd25Ag7XY' };

let model: LsrModel;
let a: Subject;
let b: Subject;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

async function subjectOf(person: string): Promise<Subject> {
  const keys = [0, 2].map((i) => `train/${person}/0000${i}_rgb.png`);
  const frames = await Promise.all(keys.map((k) => readImage(join(FIXTURES, 'frames', k))));
  return createSubject({
    model,
    frames: frames.map((f) => f.image),
    landmarks: keys.map((k) => MARKS[k]!),
  });
}

/** A hold-out pose of person `a` as a [1, 64, 64, 3] landmark image. */
function driving(i: number): tf.Tensor4D {
  const size = model.config.resolution;
  const lm = mapLandmarks(MARKS[`test/${PEOPLE.a}/0000${i}_rgb.png`]!, squareFit(224, 224, size));
  return imagesToTensor([landmarkImageAt(lm, size)]);
}

interface Read {
  image: Float32Array;
  bytes: Int32Array;
  classes: Int32Array;
}

async function read(frames: SynthesizedFrames): Promise<Read> {
  const out = {
    image: (await frames.image.data()) as Float32Array,
    bytes: (await frames.bytes.data()) as Int32Array,
    classes: (await frames.classes.data()) as Int32Array,
  };
  tf.dispose([frames.image, frames.bytes, frames.classes]);
  return out;
}

const maxAbs = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  expect(x.length).toBe(y.length);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
};

/** One frame through `subject.synthesis` (default: capture on), read back; and its path. */
async function frame(subject: Subject, l: tf.Tensor4D, capture = true) {
  const out = await read(subject.synthesis.run(l, { capture, log }));
  return { out, status: subject.synthesis.status };
}

/** A frame of `subject` replayed from its graph (the frame before captures, unless one did). */
async function replayedFrame(subject: Subject, l: tf.Tensor4D) {
  await frame(subject, l);
  const replayed = await frame(subject, l);
  expect(replayed.status.path).toBe('captured');
  return replayed;
}

function expectSame(x: Read, y: Read): void {
  expect(maxAbs(x.image, y.image)).toBeLessThanOrEqual(1e-5);
  expect(maxAbs(x.bytes, y.bytes)).toBe(0);
  expect(maxAbs(x.classes, y.classes)).toBe(0);
}

beforeAll(async () => {
  await init({ backend: 'webgpu' });
  ({ model } = await loadModel(bundledModelPath()));
  a = await subjectOf(PEOPLE.a);
  b = await subjectOf(PEOPLE.b);
});

afterAll(() => {
  a?.dispose();
  b?.dispose();
  model?.dispose();
});

describe('frame synthesis on webgpu: captured graph', () => {
  it('replays what the eager path computes, for two different driving frames', async () => {
    const [l0, l1] = [driving(0), driving(1)];
    // The first frame runs eagerly (uploading the weights), then records the graph.
    const first = await frame(a, l0);
    expect(first.status).toMatchObject({ path: 'eager', cause: 'captured', captures: 1 });
    expect(first.status.kernelsPerFrame).toBeGreaterThan(50);
    const replayed0 = await frame(a, l0);
    const replayed1 = await frame(a, l1);
    for (const r of [replayed0, replayed1])
      expect(r.status).toMatchObject({ path: 'captured', captures: 1 });
    const eager0 = await frame(a, l0, false);
    const eager1 = await frame(a, l1, false);
    expect(eager1.status).toMatchObject({ path: 'eager', cause: 'disabled' });
    expectSame(replayed0.out, eager0.out);
    expectSame(replayed1.out, eager1.out);
    // Recording and replaying left the eager path's state alone.
    expectSame(first.out, eager0.out);
    // The two driving frames give different images, so a stale replay would have failed above.
    expect(maxAbs(eager0.out.image, eager1.out.image)).toBeGreaterThan(0.1);
    expect(lines).toEqual([
      `frame synthesis: captured on the first frame, replayed for the next (${first.status.kernelsPerFrame} kernels per frame)`,
      'frame synthesis: eager (capture: false)',
    ]);
    tf.dispose([l0, l1]);
  });

  it('a replay calls no tfjs kernel; the eager frame calls hundreds', async () => {
    const l = driving(0);
    await frame(a, l); // captures, unless an earlier test did
    const run = (capture: boolean) => () =>
      tf.dispose(Object.values(a.synthesis.run(l, { capture, log })));
    const eager = await countKernels(run(false));
    const replay = await countKernels(run(true));
    console.log(
      `lsr-64 batch 1: eager ${eager.kernels} tfjs kernels, ${eager.dispatches} dispatches; replay ${replay.kernels} tfjs kernels, ${a.synthesis.status.kernelsPerFrame} recorded dispatches`,
    );
    expect(a.synthesis.status.path).toBe('captured');
    expect(eager.kernels).toBeGreaterThan(100);
    expect(replay.kernels).toBe(0);
    l.dispose();
  });

  it('follows the subject: each subject replays its own latents', async () => {
    const l = driving(1);
    const fromA = await replayedFrame(a, l);
    const fromB = await replayedFrame(b, l); // b's first frame: eager, then captured
    expect(fromB.status).toMatchObject({ path: 'captured', captures: 1 });
    expectSame(fromB.out, (await frame(b, l, false)).out);
    expect(maxAbs(fromA.out.image, fromB.out.image)).toBeGreaterThan(0.1);
    l.dispose();
  });

  it('captures again when a weight it reads is reassigned, and follows the new weights', async () => {
    const l = driving(0);
    const before = await replayedFrame(a, l);
    const captures = before.status.captures;
    // The last parameter of G^I (its output layer): a change there moves the image directly.
    const weight = model.imageGenerator.namedParameters().at(-1)![1].value;
    const saved = tf.clone(weight);
    weight.assign(
      tf.tidy(() => tf.add(saved, tf.randomNormal(saved.shape, 0, 0.05, 'float32', 3))),
    );
    const recaptured = await frame(a, l);
    expect(recaptured.status).toMatchObject({ path: 'eager', captures: captures + 1 });
    const after = await frame(a, l);
    expect(after.status).toMatchObject({ path: 'captured', captures: captures + 1 });
    const eager = await frame(a, l, false);
    expectSame(after.out, eager.out);
    expectSame(recaptured.out, eager.out);
    expect(maxAbs(before.out.image, after.out.image)).toBeGreaterThan(1e-3);
    weight.assign(saved);
    saved.dispose();
    await frame(a, l);
    const restored = await frame(a, l);
    expect(restored.status).toMatchObject({ path: 'captured', captures: captures + 2 });
    expectSame(restored.out, before.out);
    l.dispose();
  });

  it('keys graphs by GEMM precision: mixed records its own graph, equal to mixed eager', async () => {
    const l = driving(1);
    const f32 = await replayedFrame(a, l);
    const report = setPrecision('mixed', { splitWeights: true });
    try {
      const first = await frame(a, l);
      expect(first.status).toMatchObject({ path: 'eager', captures: f32.status.captures + 1 });
      const mixed = await frame(a, l);
      expect(mixed.status.path).toBe('captured');
      expectSame(mixed.out, (await frame(a, l, false)).out);
      // The f16 kernels ran (lavapipe has shader-f16), not the f32 graph: the output moved by
      // f16 rounding of the activations.
      expect(report.gemm).toBe('f16');
      expect(maxAbs(f32.out.image, mixed.out.image)).toBeGreaterThan(1e-5);
    } finally {
      setPrecision('f32');
    }
    // Back in f32, the f32 graph replays again.
    const back = await frame(a, l);
    expect(back.status.path).toBe('captured');
    expectSame(back.out, f32.out);
    l.dispose();
  });

  it('renderFrame replays, and disposing the subject frees its graphs', async () => {
    const subject = await subjectOf(PEOPLE.b);
    const quiet = { provenance: { watermark: false as const, warn: () => {} }, log };
    const lm = mapLandmarks(MARKS[`test/${PEOPLE.a}/00000_rgb.png`]!, squareFit(224, 224, 64));
    const before = tf.memory().numTensors;
    const first = await renderFrame(subject, lm, quiet);
    const captured = await renderFrame(subject, lm, quiet);
    const eager = await renderFrame(subject, lm, { ...quiet, capture: false });
    expect([first.synthesis, captured.synthesis, eager.synthesis]).toEqual([
      'eager',
      'captured',
      'eager',
    ]);
    expect(maxAbs(captured.image.data, eager.image.data)).toBe(0);
    expect(maxAbs(captured.layout.data, eager.layout.data)).toBe(0);
    expect(tf.memory().numTensors).toBeGreaterThan(before); // the graph's inputs and outputs
    subject.dispose();
    // The subject's own tensors (latents, shots) and the graph's are gone.
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});
