import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { landmarkImageAt } from '@th/data';
import { describe, expect, it, vi } from 'vitest';
import { imagesToTensor } from '../image/tensor-images';
import { createSubject } from '../subject/create-subject';
import { smallModel } from '../testing/model';
import { syntheticFace } from '../testing/synthetic-face';

/**
 * Off WebGPU, frame synthesis runs eagerly (captured graphs need @th's WebGPU runtime), says so
 * once, and computes what the model's own synthesize gives.
 */
describe.each(['cpu', 'wasm'] as const)('frame synthesis on %s: eager fallback', (backend) => {
  it('runs eagerly, logs why once, and equals model.synthesize', async () => {
    await init({ backend });
    const model = smallModel(4, false);
    const grey = (v: number) => ({
      width: 64,
      height: 64,
      data: new Uint8Array(64 * 64 * 3).fill(v),
    });
    const subject = await createSubject({
      model,
      frames: [grey(80), grey(170)],
      landmarks: [syntheticFace(64, 0), syntheticFace(64, 3)],
    });
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    for (const shift of [2, 7]) {
      const l = imagesToTensor([landmarkImageAt(syntheticFace(64, shift), 64)]);
      const frames = subject.synthesis.run(l, { log });
      expect(subject.synthesis.status).toMatchObject({
        path: 'eager',
        cause: 'backend',
        kernelsPerFrame: null,
        captures: 0,
      });
      const { image, layout } = model.synthesize(subject.latents, l);
      expect(Array.from(await frames.image.data())).toEqual(Array.from(await image.data()));
      expect(Array.from(await frames.classes.data())).toEqual(
        Array.from(await tf.argMax(layout, 3).data()),
      );
      expect(frames.bytes.shape).toEqual([1, 64, 64, 3]);
      tf.dispose([l, image, layout, frames.image, frames.bytes, frames.classes]);
    }
    expect(lines).toEqual([
      `frame synthesis: eager: backend ${backend} (captured graphs need webgpu)`,
    ]);
    // Without `log`: console.info, each line once per process, however many subjects say it.
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const others = await Promise.all(
      [120, 200].map((v, i) =>
        createSubject({ model, frames: [grey(v)], landmarks: [syntheticFace(64, i)] }),
      ),
    );
    const l = imagesToTensor([landmarkImageAt(syntheticFace(64, 5), 64)]);
    for (const s of [...others, ...others]) tf.dispose(Object.values(s.synthesis.run(l)));
    expect(info.mock.calls).toEqual([
      [`frame synthesis: eager: backend ${backend} (captured graphs need webgpu)`],
    ]);
    info.mockRestore();
    tf.dispose(l);
    for (const s of others) s.dispose();
    subject.dispose();
    model.dispose();
  });
});
