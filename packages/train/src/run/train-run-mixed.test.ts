import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyDataset, tinyTrainConfig } from '../testing/tiny-train-run';
import { readMetrics } from './metrics-log';
import type { TrainConfig } from './train-config';
import { trainRun } from './train-run';

let parent = '';
let dataset = '';
const config = (overrides: Partial<TrainConfig> = {}) =>
  tinyTrainConfig(parent, dataset, overrides);
const quiet = { log: () => {}, progress: false };

describe('trainRun with precision mixed (narrow lsr-64, stage 1, wasm)', () => {
  beforeAll(async () => {
    // One thread: threaded wasm reductions may sum in a different order from run to run, and
    // these tests compare runs bit for bit.
    await init({ backend: 'wasm', wasmThreads: 1 });
    parent = await mkdtemp(join(tmpdir(), 'th-train-mixed-'));
    dataset = await tinyDataset();
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
    await rm(dataset, { recursive: true, force: true });
  });

  it('logs the loss scale per row and resumes it exactly from the checkpoint', async () => {
    // growthInterval 1: the scale doubles after every finite step, so a resume that lost the
    // scale state would log 1024 again at step 2 instead of 2048.
    const mixed = { precision: 'mixed' as const, lossScale: { initial: 1024, growthInterval: 1 } };
    const lines: string[] = [];
    const full = await trainRun(config({ steps: 2, ...mixed }), {
      ...quiet,
      log: (l) => lines.push(l),
    });
    const half = await trainRun(config({ steps: 1, ...mixed }), quiet);
    await trainRun(config({ steps: 2, resume: half.runDir, ...mixed }), quiet);
    const a = await readMetrics(join(full.runDir, 'metrics.jsonl'));
    const b = await readMetrics(join(half.runDir, 'metrics.jsonl'));
    expect(a.map((r) => r.lossScale)).toEqual([1024, 2048]);
    expect(b.map((r) => r.lossScale)).toEqual([1024, 2048]);
    expect(b.map((r) => r.losses)).toEqual(a.map((r) => r.losses));
    expect(lines).toContain('step 1: loss scale 1024 → 2048 after 1 finite steps');
    // On wasm the GEMMs stay f32; the log says so, once.
    expect(
      lines.filter((l) => l.startsWith('precision mixed: GEMMs in f32: backend wasm')),
    ).toHaveLength(1);
  });

  it('gradient overflows skip steps and lower the scale without counting as divergence', async () => {
    // 10·CE's cotangent is 10·scale, beyond float32 (≈ 2^128) for scales 2^127 … 2^125: three
    // overflowing steps in a row, as many as would otherwise trigger a checkpoint reload.
    const lines: string[] = [];
    const run = await trainRun(
      config({
        steps: 3,
        precision: 'mixed',
        lossScale: { initial: 2 ** 127, growthInterval: 10 },
      }),
      { ...quiet, log: (l) => lines.push(l) },
    );
    const rows = await readMetrics(join(run.runDir, 'metrics.jsonl'));
    expect(rows.map((r) => [r.skipped, r.lossScale])).toEqual([
      [true, 2 ** 127],
      [true, 2 ** 126],
      [true, 2 ** 125],
    ]);
    expect(rows.every((r) => Number.isFinite(r.losses.total))).toBe(true);
    const skipped = lines.filter((l) =>
      /^step \d: skipped \(gradient overflow at loss scale/.test(l),
    );
    expect(skipped).toHaveLength(3);
    expect(skipped[0]).toContain(`scale → ${2 ** 126}`);
    expect(lines.some((l) => /bad step|restored/.test(l))).toBe(false);
  });
});
