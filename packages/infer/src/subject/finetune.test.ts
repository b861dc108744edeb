import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import type { RgbImage } from '@th/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallModel } from '../testing/model';
import { syntheticFace } from '../testing/synthetic-face';
import { createSubject } from './create-subject';

const noise = (size: number, seed: number): RgbImage => {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761 + seed * 97) % 251;
  return { width: size, height: size, data };
};

const sum = async (t: tf.Tensor) => (await tf.sum(tf.abs(t)).data())[0]!;

beforeAll(async () => {
  await init({ backend: 'wasm' });
});

describe('subject fine-tuning (docs/design.md#finetuning)', () => {
  it('updates G^l, G^I and D only, keeps the latents frozen, and leaks no tensors', async () => {
    const model = smallModel(5);
    const frames = [noise(64, 1), noise(64, 2)];
    const subject = await createSubject({
      model,
      frames,
      landmarks: frames.map(() => syntheticFace(64)),
    });
    const snapshot = (prefix: string) =>
      model
        .namedParameters()
        .filter(([n]) => n.startsWith(prefix))
        .map(([, p]) => tf.clone(p.value));
    const before = Object.fromEntries(
      [
        'styleEncoder.',
        'layoutEncoder.',
        'layoutGenerator.',
        'imageGenerator.',
        'discriminator.',
      ].map((p) => [p, snapshot(p)]),
    );
    const zs = tf.clone(subject.latents.zs);
    const tensors = tf.memory().numTensors;
    const steps: number[] = [];
    const report = await subject.finetune({ steps: 2, onStep: (s) => steps.push(s) });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(steps).toEqual([1, 2]);
    expect(report.generatorLoss.every(Number.isFinite)).toBe(true);
    expect(report.discriminatorLoss.every(Number.isFinite)).toBe(true);
    expect(report.notes.join(' ')).toMatch(/VGG19 perceptual term off/);
    for (const [prefix, old] of Object.entries(before)) {
      const now = snapshot(prefix);
      let change = 0;
      for (let i = 0; i < old.length; i++) change += await sum(tf.sub(now[i]!, old[i]!));
      if (prefix.endsWith('Encoder.')) expect(change).toBe(0);
      else expect(change).toBeGreaterThan(0);
      tf.dispose([...now, ...old]);
    }
    expect(await sum(tf.sub(subject.latents.zs, zs))).toBe(0);
    tf.dispose(zs);
    subject.dispose();
    model.dispose();
  });

  it('captureSteps off WebGPU: one line says the steps run eagerly, and they equal plain steps', async () => {
    const frames = [noise(64, 1), noise(64, 2)];
    const run = async (options: { captureSteps?: boolean; log?: (l: string) => void }) => {
      const model = smallModel(5);
      const subject = await createSubject({
        model,
        frames,
        landmarks: frames.map(() => syntheticFace(64)),
      });
      const report = await subject.finetune({ steps: 2, ...options });
      subject.dispose();
      model.dispose();
      return report;
    };
    const lines: string[] = [];
    const captured = await run({ captureSteps: true, log: (l) => lines.push(l) });
    const plain = await run({});
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/captured steps: off, every step runs eagerly/);
    for (const key of ['generatorLoss', 'discriminatorLoss'] as const)
      for (let i = 0; i < 2; i++) expect(captured[key][i]!).toBeCloseTo(plain[key][i]!, 4);
  });

  it('the default step count follows K (24 for K < 4), and a model without D is refused', async () => {
    const model = smallModel(6, false);
    const subject = await createSubject({
      model,
      frames: [noise(64, 3)],
      landmarks: [syntheticFace(64)],
    });
    await expect(subject.finetune()).rejects.toThrow(/no discriminator/);
    await expect(subject.finetune({ steps: 0 })).rejects.toThrow(/no discriminator/);
    subject.dispose();
    await expect(subject.finetune()).rejects.toThrow(/disposed/);
    model.dispose();
  });
});
