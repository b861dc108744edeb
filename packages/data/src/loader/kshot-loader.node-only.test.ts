import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../dataset/dataset-files.node-only';
import { prepareDataset } from '../dataset/prepare.node-only';
import { tempDir, tempFrameInput } from '../dataset/test-fixtures.node-only';
import { batchToTensors } from './batch-to-tensors';
import { evalShotIndices, evalSubjects } from './eval-sampler.node-only';
import { batches, kShotExamples } from './kshot-loader.node-only';
import { readFrames } from './utterance-frames.node-only';

const size = { width: 32, height: 32 };

describe('K-shot loader', () => {
  let dataset: string;
  beforeAll(async () => {
    dataset = await tempDir('th-data-loader-');
    const input = await tempFrameInput();
    await prepareDataset({
      input,
      out: dataset,
      workers: 0,
      landmarks: 'json',
      log: { write: () => true },
    });
    await init({ backend: 'cpu' });
  });

  const collect = async (seed: number, epochs = 1) => {
    const out = [];
    for await (const e of kShotExamples({
      dataset,
      k: 3,
      resolution: size,
      seed,
      epochs,
      split: 'train',
    }))
      out.push(e);
    return out;
  };

  it('draws K sources and a distinct target from one utterance, at the asked resolution', async () => {
    const examples = await collect(1);
    expect(examples).toHaveLength(4); // the 4 train folders have 4 frames ≥ K + 1
    const manifest = await readManifest(dataset);
    for (const e of examples) {
      expect(e.sources.length).toBe(3 * 32 * 32 * 3);
      expect(e.sourceLandmarks.length).toBe(3 * 32 * 32 * 3);
      expect(e.targetSegmentation.length).toBe(32 * 32);
      expect(new Set(e.frames).size).toBe(4);
      const entry = manifest.find((m) => m.key === e.key)!;
      for (const f of e.frames) expect(entry.frames).toContain(f);
      // The target is the stored frame, resized: compare with a separate read of that frame.
      const [target] = await readFrames(dataset, entry, [e.frames[3]!], size);
      expect(e.target).toEqual(target!.rgb);
      expect(e.targetSegmentation.every((v) => v <= 18)).toBe(true);
    }
  });

  it('is deterministic per seed, and seeds/epochs change the order', async () => {
    const a = await collect(5, 2);
    const b = await collect(5, 2);
    expect(a.map((e) => [e.key, e.frames])).toEqual(b.map((e) => [e.key, e.frames]));
    const orders = new Set<string>();
    for (let seed = 0; seed < 6; seed++)
      orders.add(JSON.stringify((await collect(seed)).map((e) => [e.key, e.frames])));
    expect(orders.size).toBeGreaterThan(1);
    expect(a.slice(0, 4).map((e) => e.frames)).not.toEqual(a.slice(4).map((e) => e.frames));
  });

  it('batches into tensors in [-1, 1] with int32 labels', async () => {
    for await (const batch of batches(
      kShotExamples({ dataset, k: 3, resolution: size, split: 'train' }),
      3,
    )) {
      const t = batchToTensors(batch);
      expect(t.sources.shape).toEqual([batch.length, 3, 32, 32, 3]);
      expect(t.target.shape).toEqual([batch.length, 32, 32, 3]);
      expect(t.targetSegmentation.dtype).toBe('int32');
      const src = t.sources.dataSync();
      expect(src[7]).toBeCloseTo((batch[0]!.sources[7]! * 2) / 255 - 1, 6);
      expect(Math.min(...t.targetLandmarks.dataSync())).toBe(-1); // black background
      expect(Math.max(...src)).toBeLessThanOrEqual(1);
      expect(t.targetSegmentation.dataSync()[100]).toBe(batch[0]!.targetSegmentation[100]);
      tf.dispose(Object.values(t));
    }
  });

  it('rejects a K no utterance can serve', async () => {
    await expect(kShotExamples({ dataset, k: 4, split: 'test' }).next()).rejects.toThrow(
      /no utterance has the 5 frames a K=4 example needs/,
    );
  });

  it('evaluation sampler (docs/design.md#shot-choice) picks floor(i·n/K) of the sorted source frames', () => {
    expect(evalShotIndices(32, 1)).toEqual([0]);
    expect(evalShotIndices(32, 4)).toEqual([0, 8, 16, 24]);
    expect(evalShotIndices(32, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(evalShotIndices(32, 32)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(() => evalShotIndices(4, 5)).toThrow(/K must be in 1..4/);
  });

  it('evaluation sampler gives each identity its K shots and all hold-out frames as targets', async () => {
    const subjects = [];
    for await (const s of evalSubjects(dataset, 2, size)) subjects.push(s);
    expect(subjects.map((s) => s.identity)).toEqual(['id00017', 'id00061', 'id00081', 'id00812']);
    for (const s of subjects) {
      expect(s.shotIds).toEqual(['00000', '00002']);
      expect(s.sources.length).toBe(2 * 32 * 32 * 3);
      expect(s.targets.map((t) => t.id)).toEqual(['00000', '00001']);
    }
  });
});
