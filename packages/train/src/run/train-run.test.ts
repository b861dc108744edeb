import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init, rawToTensor } from '@th/backend';
import { decodeCheckpoint } from '@th/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyDataset, tinyTrainConfig } from '../testing/tiny-train-run';
import { readMetrics } from './metrics-log';
import { buildModel, loadWeights } from './run-setup';
import type { TrainConfig } from './train-config';
import { trainRun } from './train-run';

let parent = '';
let dataset = '';
const config = (overrides: Partial<TrainConfig> = {}) =>
  tinyTrainConfig(parent, dataset, overrides);
const quiet = { log: () => {}, progress: false };

describe('trainRun (lsr-64 topology at narrow width, stage 1, batch 2, K 2, cpu, synthetic dataset)', () => {
  beforeAll(async () => {
    await init({ backend: 'cpu' });
    parent = await mkdtemp(join(tmpdir(), 'th-train-'));
    dataset = await tinyDataset();
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
    await rm(dataset, { recursive: true, force: true });
  });

  it('resume from the middle of an epoch reproduces an uninterrupted run exactly; writes the run layout', async () => {
    // 3 training utterances (the 3 'test' ones are hold-out) at batch 2: step 1 stops inside
    // epoch 0, step 2 takes its last example and the first of epoch 1.
    const full = await trainRun(config({ steps: 2 }), quiet);
    const half = await trainRun(config({ steps: 1 }), quiet);
    const { meta } = await decodeCheckpoint(
      new Uint8Array(await readFile(join(half.runDir, 'checkpoints', 'step-0000001.safetensors'))),
      'half',
    );
    expect(meta.extra.source).toEqual({ epoch: 0, position: 2 }); // stopped mid-epoch
    // steps: 2 again, continuing the half run's directory from its step-1 checkpoint (a new
    // process would do the same: everything comes from the checkpoint and the dataset)
    const resumed = await trainRun(config({ steps: 2, resume: half.runDir }), quiet);
    expect(resumed.runDir).toBe(half.runDir);
    const a = await readMetrics(join(full.runDir, 'metrics.jsonl'));
    const b = await readMetrics(join(half.runDir, 'metrics.jsonl'));
    expect(b.map((r) => r.step)).toEqual([1, 2]);
    expect(b.map((r) => r.losses)).toEqual(a.map((r) => r.losses));
    expect(b.map((r) => r.lr)).toEqual(a.map((r) => r.lr));
    expect(b[1]!.eval).toEqual(a[1]!.eval);
    expect(a[1]!.eval!.layoutCrossEntropy).toBeGreaterThan(0); // hold-out evaluated (3 identities)
    // layout: config, metrics, log, curves, samples, pruned checkpoints (keep last 1 + best)
    const files = await readdir(full.runDir);
    expect(files).toEqual(
      expect.arrayContaining([
        'config.json',
        'metrics.jsonl',
        'log.txt',
        'curves.html',
        'checkpoints',
        'samples',
      ]),
    );
    expect(full.runDir).toMatch(/\/00000-test$/);
    expect(half.runDir).toMatch(/\/00001-test$/);
    const ckpts = await readdir(join(full.runDir, 'checkpoints'));
    expect(ckpts.length).toBeGreaterThanOrEqual(1);
    expect(ckpts.length).toBeLessThanOrEqual(2);
    expect(ckpts).toContain('step-0000002.safetensors');
    expect(await readdir(join(full.runDir, 'samples'))).toEqual(['step-0000002.png']);
    const html = await readFile(join(full.runDir, 'curves.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('layoutCrossEntropy');
  });

  it('colour augmentation: changes what is trained on, and a resumed run still repeats an uninterrupted one', async () => {
    const jitter = (o: Partial<TrainConfig>) => {
      const c = config(o);
      return { ...c, data: { ...c.data, colorJitter: 0.3 } };
    };
    const plain = await trainRun(config({ steps: 1 }), quiet);
    const full = await trainRun(jitter({ steps: 2 }), quiet);
    const half = await trainRun(jitter({ steps: 1 }), quiet);
    await trainRun(jitter({ steps: 2, resume: half.runDir }), quiet);
    const p = await readMetrics(join(plain.runDir, 'metrics.jsonl'));
    const a = await readMetrics(join(full.runDir, 'metrics.jsonl'));
    const b = await readMetrics(join(half.runDir, 'metrics.jsonl'));
    expect(b.map((r) => r.losses)).toEqual(a.map((r) => r.losses));
    // The same first batch, recoloured: E^l reads other source frames, so the losses move.
    expect(a[0]!.losses.total).not.toBe(p[0]!.losses.total);
  });
  it('stage 2 --init: E^l and G^l from a stage-1 checkpoint, every network (D too) from a stage-2 one', async () => {
    const ckpt = (dir: string) => join(dir, 'checkpoints', 'step-0000001.safetensors');
    const stage1 = await trainRun(config({ steps: 1 }), quiet);
    const stage2 = await trainRun(config({ stage: 2, steps: 1, init: ckpt(stage1.runDir) }), quiet);
    const model = buildModel(config({ stage: 2 }));
    try {
      expect((await loadWeights(ckpt(stage1.runDir), model, 'stage2-init')).only).toEqual([
        'layoutEncoder',
        'layoutGenerator',
      ]);
      const whole = await loadWeights(ckpt(stage2.runDir), model, 'stage2-init');
      expect(whole.only).toBeNull();
      expect(whole.examplesSeen).toBe(4); // stage 1's 2 examples + stage 2's 2
      // The discriminator now holds the stage-2 checkpoint's weights exactly.
      const { tensors } = await decodeCheckpoint(
        new Uint8Array(await readFile(ckpt(stage2.runDir))),
        'stage2',
      );
      const d = model.namedParameters().filter(([n]) => n.startsWith('discriminator.'));
      expect(d.length).toBeGreaterThan(0);
      for (const [name, v] of d) {
        const saved = rawToTensor(tensors.get(name)!, name);
        expect(Array.from(v.value.dataSync())).toEqual(Array.from(saved.dataSync()));
        saved.dispose();
      }
    } finally {
      model.dispose();
    }
    // A run started that way says so and continues the example counter (so the lr schedule).
    const lines: string[] = [];
    const continued = await trainRun(config({ stage: 2, steps: 1, init: ckpt(stage2.runDir) }), {
      log: (l: string) => lines.push(l),
      progress: false,
    });
    expect(lines.some((l) => l.includes('tensors (all), examples counter 4'))).toBe(true);
    expect(continued.rows[0]!.examples).toBe(6);
  });
});
