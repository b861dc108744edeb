/**
 * Bundled for the headless-browser test: runs the platform-neutral core end to end (random-init
 * lsr-64, synthetic frames and landmarks) and leaves a summary on `window.__thResult`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import type { RgbImage } from '@th/data';
import { LsrModel, presetConfig } from '@th/models';
import { createSubject, renderStream } from '../index';
import { syntheticFace } from '../testing/synthetic-face';

async function run() {
  const report = await init({ backend: 'cpu' });
  const model = new LsrModel(presetConfig('lsr-64'), { discriminator: false }).initialize(0);
  const frame: RgbImage = {
    width: 224,
    height: 224,
    data: new Uint8Array(224 * 224 * 3).fill(120),
  };
  const subject = await createSubject({
    model,
    frames: [frame, frame],
    landmarks: [syntheticFace(224), syntheticFace(224, 6)],
  });
  async function* driver() {
    for (let i = 0; i < 4; i++)
      yield { landmarks: syntheticFace(224, 2 * i), width: 224, height: 224 };
  }
  const tensors: number[] = [];
  const sizes: string[] = [];
  let checksum = 0;
  for await (const f of renderStream(subject, driver(), { adaptShape: true })) {
    tensors.push(tf.memory().numTensors);
    sizes.push(`${f.image.width}x${f.image.height}`);
    for (const v of f.image.data) checksum += v;
  }
  subject.dispose();
  return {
    backend: report.backend,
    hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
    tensors,
    sizes,
    checksum,
  };
}

(globalThis as { __thResult?: Promise<unknown> }).__thResult = run().catch((e: Error) => ({
  error: `${e.message}\n${e.stack}`,
}));
