import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../dataset/dataset-files.node-only';
import { prepareDataset } from '../dataset/prepare.node-only';
import { writeSyntheticDataset } from '../dataset/synthetic-dataset.node-only';
import { tempDir, tempFrameInput } from '../dataset/test-fixtures.node-only';
import { batchToTensors } from './batch-to-tensors';
import { evalShotIndices, evalSubjects } from './eval-sampler.node-only';
import type { KShotExample } from './kshot-example';
import { type KShotStreamOptions, openKShotStream } from './kshot-stream.node-only';
import { readFrames } from './utterance-frames.node-only';

const quiet = { write: () => true };
let synthetic: string;
let fixtures: string;

beforeAll(async () => {
  synthetic = await tempDir('th-data-synth-');
  // 23 utterances of 6 frames at 32², 5 per shard (5 shards), 8 distinct frames.
  await writeSyntheticDataset(synthetic, {
    utterances: 23,
    framesPerUtterance: 6,
    resolution: 32,
    shardSize: 5,
    distinctFrames: 8,
    split: (u) => (u % 10 === 9 ? 'test' : ''),
  });
  fixtures = await tempDir('th-data-loader-');
  await prepareDataset({
    input: await tempFrameInput(),
    out: fixtures,
    workers: 0,
    landmarks: 'json',
    resolution: 32,
    log: quiet,
  });
  await init({ backend: 'cpu' });
});

const take = async (options: Partial<KShotStreamOptions>, n: number) => {
  const stream = await openKShotStream({ dataset: synthetic, k: 3, workers: 0, ...options });
  const out: KShotExample[] = [];
  for (let i = 0; i < n; i++) out.push((await stream.next())!);
  const state = stream.state();
  const maxBuffered = stream.maxBuffered;
  await stream.close();
  return { out, state, maxBuffered };
};
const ids = (examples: KShotExample[]) => examples.map((e) => `${e.key}:${e.frames.join(',')}`);

describe('K-shot stream', () => {
  it('draws K sources and a distinct target from one utterance, as stored', async () => {
    const stream = await openKShotStream({ dataset: fixtures, k: 3, workers: 0, epochs: 1 });
    const manifest = await readManifest(fixtures);
    const seen: string[] = [];
    for await (const e of stream) {
      seen.push(e.key);
      expect(e.sources.length).toBe(3 * 32 * 32 * 3);
      expect(e.targetSegmentation.length).toBe(32 * 32);
      expect(new Set(e.frames).size).toBe(4);
      const entry = manifest.find((m) => m.key === e.key)!;
      const [target] = await readFrames(fixtures, entry, [e.frames[3]!]);
      expect(e.target).toEqual(target!.rgb);
      expect(e.targetLandmarks).toEqual(target!.landmarkImage);
      expect(e.targetSegmentation).toEqual(target!.segmentation);
      const [source] = await readFrames(fixtures, entry, [e.frames[1]!]);
      expect(e.sources.subarray(32 * 32 * 3, 2 * 32 * 32 * 3)).toEqual(source!.rgb);
    }
    // every utterance with ≥ 4 frames once: the 4 train folders (the test ones have 2 frames)
    expect(seen.sort()).toEqual(
      manifest
        .filter((m) => m.frames.length >= 4)
        .map((m) => m.key)
        .sort(),
    );
  });

  it('is deterministic per seed, the same with decode workers, and new each epoch', async () => {
    const a = await take({ seed: 5 }, 40);
    expect(ids((await take({ seed: 5 }, 40)).out)).toEqual(ids(a.out));
    const threaded = await take({ seed: 5, workers: 2, prefetch: 5 }, 40);
    expect(ids(threaded.out)).toEqual(ids(a.out));
    for (const [i, e] of threaded.out.entries()) {
      expect(e.sources).toEqual(a.out[i]!.sources);
      expect(e.targetSegmentation).toEqual(a.out[i]!.targetSegmentation);
    }
    expect(ids((await take({ seed: 6 }, 40)).out)).not.toEqual(ids(a.out));
    // 23 utterances, all ≥ 4 frames: epoch 0 is the first 23 examples, each utterance once.
    expect(new Set(a.out.slice(0, 23).map((e) => e.key)).size).toBe(23);
    expect(a.out.slice(23, 40).map((e) => e.key)).not.toEqual(a.out.slice(0, 17).map((e) => e.key));
  });

  it('resumes exactly from any state, mid-epoch and across the epoch end', async () => {
    const full = await take({ seed: 2, shuffleBuffer: 4 }, 60);
    for (const cut of [1, 10, 22, 23, 37]) {
      const first = await take({ seed: 2, shuffleBuffer: 4 }, cut);
      const rest = await take({ seed: 2, shuffleBuffer: 4, state: first.state }, 60 - cut);
      expect(ids([...first.out, ...rest.out])).toEqual(ids(full.out));
      expect(rest.out.at(-1)!.target).toEqual(full.out.at(-1)!.target);
    }
    expect((await take({ seed: 2 }, 23)).state).toEqual({ epoch: 1, position: 0 });
    await expect(take({ state: { epoch: 0, position: 23 } }, 1)).rejects.toThrow(
      /position 23 is outside epoch 0 \(23 examples on this rank\)/,
    );
  });

  it('holds at most the shuffle buffer in memory while reading shards in order', async () => {
    for (const shuffleBuffer of [1, 3, 8]) {
      const run = await take({ seed: 1, shuffleBuffer }, 46);
      expect(run.maxBuffered).toBeLessThanOrEqual(shuffleBuffer);
    }
  });

  it('gives ranks disjoint, equal, deterministic parts of every epoch', async () => {
    const world = 3;
    const perRank = Math.floor(23 / world); // 7
    const epochs: string[][][] = [];
    for (let rank = 0; rank < world; rank++) {
      const { out } = await take({ seed: 8, rank, worldSize: world }, 2 * perRank);
      epochs.push([out.slice(0, perRank).map((e) => e.key), out.slice(perRank).map((e) => e.key)]);
      expect(ids((await take({ seed: 8, rank, worldSize: world }, perRank)).out)).toEqual(
        ids(out.slice(0, perRank)),
      );
    }
    for (const epoch of [0, 1]) {
      const keys = epochs.flatMap((r) => r[epoch]!);
      expect(keys).toHaveLength(world * perRank);
      expect(new Set(keys).size).toBe(world * perRank);
    }
  });

  it('filters splits, and refuses a K no utterance can serve or another resolution', async () => {
    const { out } = await take({ excludeSplits: ['test'], epochs: 1 }, 21);
    expect(out.every((e) => !/id0000[9]|id0001[9]/.test(e.key))).toBe(true);
    await expect(openKShotStream({ dataset: synthetic, k: 6 })).rejects.toThrow(
      /no utterance has the 7 frames a K=6 example needs/,
    );
    await expect(openKShotStream({ dataset: synthetic, k: 2, resolution: 64 })).rejects.toThrow(
      /prepared at 32x32, the model needs 64x64; prepare it with th-data prepare --resolution 64/,
    );
  });

  it('batches into tensors in [-1, 1] with int32 labels', async () => {
    const stream = await openKShotStream({ dataset: synthetic, k: 2, workers: 0 });
    const batch = await stream.nextBatch(3);
    await stream.close();
    const t = batchToTensors(batch);
    expect(t.sources.shape).toEqual([3, 2, 32, 32, 3]);
    expect(t.target.shape).toEqual([3, 32, 32, 3]);
    expect(t.targetSegmentation.dtype).toBe('int32');
    const src = t.sources.dataSync();
    expect(src[7]).toBeCloseTo((batch[0]!.sources[7]! * 2) / 255 - 1, 6);
    expect(Math.min(...t.targetLandmarks.dataSync())).toBe(-1); // black background
    expect(t.targetSegmentation.dataSync()[100]).toBe(batch[0]!.targetSegmentation[100]);
    tf.dispose(Object.values(t));
  });
});

describe('evaluation sampler', () => {
  it('picks floor(i·n/K) of the sorted source frames', () => {
    expect(evalShotIndices(32, 1)).toEqual([0]);
    expect(evalShotIndices(32, 4)).toEqual([0, 8, 16, 24]);
    expect(evalShotIndices(32, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(evalShotIndices(32, 32)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(() => evalShotIndices(4, 5)).toThrow(/K must be in 1..4/);
  });

  it('FSTH layout: K shots from the train frames, every test frame a target', async () => {
    const subjects = [];
    for await (const s of evalSubjects(fixtures, 2)) subjects.push(s);
    expect(subjects.map((s) => s.identity)).toEqual(['id00017', 'id00061', 'id00081', 'id00812']);
    for (const s of subjects) {
      expect(s.shotIds).toEqual(['00000', '00002']);
      expect(s.shots[1]!.rgb.length).toBe(32 * 32 * 3);
      expect(s.targets.map((t) => t.id)).toEqual(['00000', '00001']);
      expect(s.targets[0]!.landmarks).toHaveLength(68);
    }
    await expect(evalSubjects(fixtures, 5).next()).rejects.toThrow(/has 4 source frames; K = 5/);
  });

  it('without splits: the first half of an utterance are sources, the rest targets', async () => {
    const plain = await tempDir('th-data-plain-');
    await writeSyntheticDataset(plain, {
      utterances: 2,
      framesPerUtterance: 5,
      resolution: 16,
      distinctFrames: 2,
    });
    const subjects = [];
    for await (const s of evalSubjects(plain, 3, ['id00001'])) subjects.push(s);
    expect(subjects).toHaveLength(1);
    expect(subjects[0]!.sourceIds).toEqual(['00000', '00001', '00002']);
    expect(subjects[0]!.shotIds).toEqual(['00000', '00001', '00002']);
    expect(subjects[0]!.targets.map((t) => t.id)).toEqual(['00003', '00004']);
    await expect(evalSubjects(plain, 1, ['id77777']).next()).rejects.toThrow(
      /identity "id77777" not found \(have id00000, id00001\)/,
    );
  });
});

afterAll(() => {});
