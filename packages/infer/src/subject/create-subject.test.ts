import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import type { RgbImage } from '@th/data';
import { landmarkImageAt } from '@th/data';
import type { LsrModel } from '@th/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesToTensor } from '../image/tensor-images';
import { smallModel } from '../testing/model';
import { syntheticFace } from '../testing/synthetic-face';
import { chooseShotIndices } from './choose-shots';
import { createSubject } from './create-subject';

const noise = (w: number, h: number, seed: number): RgbImage => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 40503 + seed * 7919) % 256;
  return { width: w, height: h, data };
};

beforeAll(async () => {
  await init({ backend: 'wasm' });
});

describe('chooseShotIndices (docs/design.md#shot-choice)', () => {
  it('takes floor(i·n/K): K=4 of 32 → 0, 8, 16, 24', () => {
    expect(chooseShotIndices(32, 4)).toEqual([0, 8, 16, 24]);
    expect(chooseShotIndices(32, 1)).toEqual([0]);
    expect(chooseShotIndices(5, 5)).toEqual([0, 1, 2, 3, 4]);
  });
  it('explains a K larger than the frames given', () => {
    expect(() => chooseShotIndices(3, 4)).toThrow(
      /K = 4 shots requested but only 3 usable source frames/,
    );
  });
});

describe('createSubject', () => {
  let model: LsrModel;
  beforeAll(() => {
    model = smallModel(2);
  });

  it('the K-shot latents are the mean of the one-shot latents', async () => {
    const frames = [noise(64, 64, 1), noise(64, 64, 2), noise(64, 64, 3)];
    const landmarks = frames.map((_, i) => syntheticFace(64, i * 3));
    const subject = await createSubject({ model, frames, landmarks });
    expect(subject.k).toBe(3);
    const singles = frames.map((f, i) =>
      model.encode(
        tf.reshape(imagesToTensor([f]), [1, 1, 64, 64, 3]) as tf.Tensor5D,
        tf.reshape(
          imagesToTensor([landmarkImageAt(landmarks[i]!, 64)]),
          [1, 1, 64, 64, 3],
        ) as tf.Tensor5D,
      ),
    );
    const mean = tf.tidy(() => tf.div(tf.addN(singles.map((s) => s.zs)), 3));
    const diff = (await tf.max(tf.abs(tf.sub(mean, subject.latents.zs))).data())[0]!;
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([mean, ...singles.flatMap((s) => [s.zs, s.zl])]);
    subject.dispose();
  });

  it('resizes other sizes (non-square: centre crop) and says so; maps landmarks with the frame', async () => {
    const subject = await createSubject({
      model,
      frames: [noise(224, 224, 1), noise(300, 200, 2)],
      landmarks: [syntheticFace(224), syntheticFace(200, 0, 50)],
    });
    expect(subject.notes.join('\n')).toMatch(/mixed sizes \(224x224, 300x200\)/);
    expect(subject.notes.join('\n')).toMatch(/resized to the model resolution 64x64/);
    // Chin (point 8) sits at the face centre x: 150 in the 300-wide frame, 100 after the centre
    // crop, then (x + 0.5)·64/200 − 0.5 in model pixels; 112 → (x + 0.5)·64/224 − 0.5 for 224².
    expect(subject.shotLandmarks[1]![8]![0]).toBeCloseTo((100 + 0.5) * (64 / 200) - 0.5, 9);
    expect(subject.shotLandmarks[0]![8]![0]).toBeCloseTo((112 + 0.5) * (64 / 224) - 0.5, 9);
    subject.dispose();
  });

  it('faceless frames: fail names them, skip drops them and notes it', async () => {
    const frames = [noise(64, 64, 1), noise(64, 64, 2), noise(64, 64, 3)];
    const landmarks = [syntheticFace(64), null, null];
    await expect(
      createSubject({ model, frames, landmarks, names: ['a.png', 'b.png', 'c.png'] }),
    ).rejects.toThrow(/no face found in source frame\(s\): b\.png, c\.png/);
    const subject = await createSubject({ model, frames, landmarks, onMissingFace: 'skip' });
    expect(subject.k).toBe(1);
    expect(subject.notes[0]).toMatch(/skipped source frame\(s\) without a face: frame 1, frame 2/);
    subject.dispose();
    await expect(
      createSubject({ model, frames, landmarks, onMissingFace: 'skip', k: 2 }),
    ).rejects.toThrow(/only 1 usable source frame given/);
  });

  it('missing landmarks and detector, or a count mismatch, are explained', async () => {
    const frames = [noise(64, 64, 1)];
    await expect(createSubject({ model, frames })).rejects.toThrow(
      /give landmarks for every frame or a landmark detector/,
    );
    await expect(createSubject({ model, frames, landmarks: [] })).rejects.toThrow(
      /0 landmark sets for 1 frames/,
    );
    await expect(createSubject({ model, frames: [], landmarks: [] })).rejects.toThrow(
      /no source frames/,
    );
  });
});
