import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import type { RgbImage } from '@th/data';
import { landmarkImageAt } from '@th/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesToTensor } from '../image/tensor-images';
import { createSubject } from '../subject/create-subject';
import type { Subject } from '../subject/subject';
import { smallModel } from '../testing/model';
import { syntheticFace } from '../testing/synthetic-face';
import { type RenderedFrame, renderFrame } from './render-frame';
import { renderStream } from './render-stream';

const grey = (size: number, v: number): RgbImage => ({
  width: size,
  height: size,
  data: new Uint8Array(size * size * 3).fill(v),
});

let subject: Subject;
beforeAll(async () => {
  await init({ backend: 'wasm' });
  const model = smallModel(3);
  const frames = [grey(224, 90), grey(224, 160)];
  subject = await createSubject({
    model,
    frames,
    landmarks: frames.map((_, i) => syntheticFace(224, i * 4)),
  });
});

describe('renderFrame', () => {
  it('returns the model output clipped and quantised, the argmax layout and the landmark image', async () => {
    const lm = syntheticFace(64, 6);
    // The model's exact pixels: the documented use of turning the watermark off.
    const out = await renderFrame(subject, lm, {
      provenance: { watermark: false, warn: () => {} },
    });
    expect([out.image.width, out.image.height, out.layout.width, out.landmarkImage.height]).toEqual(
      [64, 64, 64, 64],
    );
    // Independent path: synthesize directly and quantise in plain JS.
    const { image, layout } = subject.model.synthesize(
      subject.latents,
      imagesToTensor([landmarkImageAt(lm, 64)]),
    );
    const x = await image.data();
    const classes = await tf.argMax(layout, 3).data();
    tf.dispose([image, layout]);
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      const expected = Math.round((Math.min(1, Math.max(-1, x[i]!)) + 1) * 127.5);
      worst = Math.max(worst, Math.abs(expected - out.image.data[i]!));
    }
    expect(worst).toBe(0);
    expect(out.layout.data.length).toBe(classes.length * 3);
    expect(out.timings.totalMs).toBeGreaterThan(0);
  });

  it('accepts landmarks in driver-frame pixels and maps them to the model resolution', async () => {
    const inFrame = await renderFrame(subject, {
      landmarks: syntheticFace(224, 6),
      width: 224,
      height: 224,
    });
    const inModel = await renderFrame(subject, syntheticFace(64, 6 * (64 / 224)));
    // 224 → 64 maps the synthetic face onto itself drawn at 64, up to the half-pixel offset (0.5·(1 − 64/224) px).
    expect(inFrame.landmarks[0]![0]).toBeCloseTo(
      inModel.landmarks[0]![0] - 0.5 * (1 - 64 / 224),
      6,
    );
  });

  it('rejects bad driver landmarks with a clear message', async () => {
    await expect(renderFrame(subject, syntheticFace(64).slice(0, 60))).rejects.toThrow(
      /expected 68 landmarks, got 60/,
    );
  });
});

describe('renderStream', () => {
  it('keeps memory flat over 200 frames (tensor count constant, RSS growth bounded)', async () => {
    async function* driver(n: number) {
      for (let i = 0; i < n; i++)
        yield syntheticFace(224, 8 * Math.abs(Math.sin(i / 5)), Math.sin(i / 9) * 6);
    }
    const counts: number[] = [];
    let rssAfter20 = 0;
    let frames = 0;
    for await (const frame of renderStream(subject, driver(200), { adaptShape: true })) {
      counts.push(tf.memory().numTensors);
      if (frame.index === 19) {
        (globalThis as { gc?: () => void }).gc?.();
        rssAfter20 = process.memoryUsage().rss;
      }
      frames++;
    }
    const rssGrowthMb = (process.memoryUsage().rss - rssAfter20) / 2 ** 20;
    console.log(
      `stream: 200 frames, tensors ${counts[0]}..${Math.max(...counts)}, RSS growth after frame 20: ${rssGrowthMb.toFixed(1)} MB`,
    );
    expect(frames).toBe(200);
    expect(new Set(counts).size).toBe(1);
    expect(rssGrowthMb).toBeLessThan(64);
  });

  it('shape adaptation: the first driver frame is drawn as the source mean shape', async () => {
    const stream = renderStream(subject, [syntheticFace(64, 2, 5), syntheticFace(64, 9, 5)], {
      adaptShape: true,
    });
    const first = (await stream.next()).value as RenderedFrame;
    first.landmarks.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(subject.meanShape[i]![0], 9);
      expect(p[1]).toBeCloseTo(subject.meanShape[i]![1], 9);
    });
    await stream.return(undefined);
  });
});
