import type * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, type ExampleBatch } from './example-source';
import type { FrameStore } from './frame-store';
import { KShotSampler } from './kshot-sampler';
import { syntheticFrameStore } from './synthetic-store';

beforeAll(async () => {
  await init({ backend: 'cpu' });
});

const R = 2;

/** Frame ids of a batch, recognised by their (random, unique) first RGB value. */
function frameIds(store: FrameStore, batch: ExampleBatch) {
  const byValue = new Map<number, string>();
  for (const v of store.videos) for (const f of v.frames) byValue.set(f.rgb[0]!, f.id);
  const idAt = (t: tf.Tensor, index: number) =>
    byValue.get((t.dataSync() as Float32Array)[index * R * R * 3]!)!;
  const [b, k] = batch.sources.shape;
  return Array.from({ length: b }, (_, i) => ({
    sources: Array.from({ length: k }, (_, j) => idAt(batch.sources, i * k + j)),
    target: idAt(batch.target, i),
  }));
}

function draw(sampler: KShotSampler, batches: number) {
  return Array.from({ length: batches }, () => {
    const batch = sampler.next();
    const ids = frameIds(sampler.store, batch);
    disposeBatch(batch);
    return ids;
  });
}

describe('KShotSampler', () => {
  const store = syntheticFrameStore({ resolution: R, videos: 3, framesPerVideo: 4, seed: 5 });

  it('takes K distinct sources and a different target from one video, uniformly', () => {
    const examples = draw(new KShotSampler(store, { batchSize: 4, k: 2, seed: 9 }), 150).flat();
    const videoCounts = new Map<string, number>();
    const targetCounts = new Map<string, number>();
    for (const { sources, target } of examples) {
      const video = target.slice(0, target.lastIndexOf('/'));
      expect(sources.every((s) => s.startsWith(`${video}/`))).toBe(true);
      expect(new Set([...sources, target]).size).toBe(3);
      videoCounts.set(video, (videoCounts.get(video) ?? 0) + 1);
      targetCounts.set(target, (targetCounts.get(target) ?? 0) + 1);
    }
    // 600 examples: 200 per video (binomial sd 11.5), 50 per target frame (sd 6.7); 4 sd bounds.
    expect([...videoCounts.values()].every((n) => Math.abs(n - 200) < 46)).toBe(true);
    expect(targetCounts.size).toBe(12);
    expect([...targetCounts.values()].every((n) => Math.abs(n - 50) < 27)).toBe(true);
  });

  it('is reproducible from its seed and resumes exactly from getState()', () => {
    const a = new KShotSampler(store, { batchSize: 2, k: 3, seed: 1 });
    const before = draw(a, 3);
    const state = JSON.parse(JSON.stringify(a.getState()));
    const rest = draw(a, 4);
    const b = new KShotSampler(store, { batchSize: 2, k: 3, seed: 77 });
    b.setState(state);
    expect(draw(b, 4)).toEqual(rest);
    expect(draw(new KShotSampler(store, { batchSize: 2, k: 3, seed: 1 }), 3)).toEqual(before);
    expect(draw(new KShotSampler(store, { batchSize: 2, k: 3, seed: 2 }), 3)).not.toEqual(before);
  });

  it('skips videos without K + 1 frames and rejects bad options and states', () => {
    const mixed: FrameStore = {
      resolution: R,
      videos: [store.videos[0]!, { id: 'short', frames: store.videos[1]!.frames.slice(0, 2) }],
    };
    const ids = draw(new KShotSampler(mixed, { batchSize: 8, k: 2, seed: 3 }), 5).flat();
    expect(ids.every((e) => e.target.startsWith('id0/'))).toBe(true);
    expect(() => new KShotSampler(mixed, { batchSize: 1, k: 4, seed: 0 })).toThrow(
      'no video has K + 1 = 5 frames (the largest has 4)',
    );
    expect(() => new KShotSampler(store, { batchSize: 0, k: 2, seed: 0 })).toThrow(/batchSize/);
    const s = new KShotSampler(store, { batchSize: 1, k: 2, seed: 0 });
    expect(() => s.setState({ rng: 12345 })).toThrow(/older checkpoints stored \{rng\}/);
    expect(() => s.setState({ seed: 1, batches: -1 })).toThrow(/expected \{seed, batches\}/);
  });
});
