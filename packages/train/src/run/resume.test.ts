/**
 * Resume that cannot go wrong: a resumed run continues as its config.json recorded it; fields that
 * fix what the run is cannot change; other changes are applied with a warning and recorded with
 * the step they apply from; a damaged latest checkpoint falls back to the previous one.
 */
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@th/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyDataset, tinyTrainConfig } from '../testing/tiny-train-run';
import { readMetrics } from './metrics-log';
import { configChanges, planResume } from './resume-config';
import type { TrainConfig } from './train-config';
import { readRunRecord, trainRun } from './train-run';

let parent = '';
let dataset = '';
const config = (overrides: Partial<TrainConfig> = {}) => {
  const c = tinyTrainConfig(parent, dataset, { keepLast: 5, sampleEvery: 100, ...overrides });
  return { ...c, data: { ...c.data, holdout: false } };
};

function logged() {
  const lines: string[] = [];
  return { lines, options: { log: (l: string) => lines.push(l), progress: false } };
}

describe('planResume', () => {
  const recorded = tinyTrainConfig('runs', 'data', { stage: 2, batch: 2 });
  it('lists every changed field, and refuses those that fix the run', () => {
    const next = {
      ...recorded,
      steps: 5,
      schedule: { ...recorded.schedule, baseLearningRate: 5e-4 },
      resume: 'runs/00000-test',
      run: { parent: 'elsewhere', desc: null },
    };
    expect(configChanges(recorded, next)).toEqual([
      { field: 'steps', was: 2, now: 5 },
      { field: 'schedule.baseLearningRate', was: 1e-3, now: 5e-4 },
    ]);
    const plan = planResume(recorded, next, 'runs/00000-test');
    expect(plan.config.run).toEqual(recorded.run); // the run stays where it is
    expect(plan.changes.map((c) => c.field)).toEqual(['steps', 'schedule.baseLearningRate']);
    const defaults = { ...tinyTrainConfig('runs', 'data'), stage: 1 as const, batch: 4, seed: 3 };
    expect(() => planResume(recorded, defaults, 'runs/00000-test')).toThrow(
      'the run was recorded with other values of fields that cannot change mid-run:\n' +
        '  stage: run has 2, given 1\n' +
        '  seed: run has 0, given 3\n' +
        '  batch: run has 2, given 4\n' +
        'leave them out to continue the run as recorded',
    );
  });
});

describe('trainRun --resume (tiny lsr-64, stage 1, wasm)', () => {
  // One run, resumed several times: 2 steps, a checkpoint after each (all kept).
  let runDir = '';
  const ckpt = (step: number) =>
    join(runDir, 'checkpoints', `step-${String(step).padStart(7, '0')}.safetensors`);
  const quiet = { log: () => {}, progress: false };
  beforeAll(async () => {
    await init({ backend: 'wasm' });
    parent = await mkdtemp(join(tmpdir(), 'th-resume-'));
    dataset = await tinyDataset();
    runDir = (await trainRun(config({ steps: 2 }), quiet)).runDir;
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
    await rm(dataset, { recursive: true, force: true });
  });

  it('refuses a change of the batch size before training anything', async () => {
    await expect(trainRun(config({ steps: 3, batch: 3, resume: runDir }), quiet)).rejects.toThrow(
      /batch: run has 2, given 3/,
    );
    expect((await readMetrics(join(runDir, 'metrics.jsonl'))).map((r) => r.step)).toEqual([1, 2]);
  });

  it('a damaged latest checkpoint is reported in one line and the previous one is used', async () => {
    await truncate(ckpt(2), 1000);
    const { lines, options } = logged();
    const resumed = await trainRun(config({ steps: 3, resume: runDir }), options);
    const warnings = lines.filter((l) => l.includes('damaged'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: resume: step-0000002\.safetensors is damaged \(.*step-0000002\.safetensors: .*\); continuing from the previous checkpoint, step-0000001\.safetensors$/,
    );
    expect(lines).toContain(`restored ${ckpt(1)} (step 1, 2 examples)`);
    expect(resumed.step).toBe(3);
    const steps = (await readMetrics(join(runDir, 'metrics.jsonl'))).map((r) => r.step);
    expect(steps).toEqual([1, 2, 3]);
  });

  it('applies other changes with a warning each and records them in config.json from their step', async () => {
    const { lines, options } = logged();
    const base = config();
    await trainRun(
      { ...base, steps: 4, schedule: { ...base.schedule, baseLearningRate: 5e-4 }, resume: runDir },
      options,
    );
    expect(lines).toContain('warning: resume changes steps: 3 → 4');
    expect(lines).toContain('warning: resume changes schedule.baseLearningRate: 0.001 → 0.0005');
    const record = await readRunRecord(runDir);
    expect(record.config.steps).toBe(4);
    expect(record.config.schedule.baseLearningRate).toBe(5e-4);
    expect(record.history).toEqual([
      // the resume above: restored step 1 (step 2 was damaged), steps 2 → 3
      { fromStep: 1, changes: [{ field: 'steps', was: 2, now: 3 }] },
      {
        fromStep: 3,
        changes: [
          { field: 'steps', was: 3, now: 4 },
          { field: 'schedule.baseLearningRate', was: 1e-3, now: 5e-4 },
        ],
      },
    ]);
    // config.json stays a valid config for a new run (--config), with its history beside it
    const json = JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8'));
    expect(json.resume).toBeNull();
    // A bare resume (the recorded config as it is now) changes nothing and records nothing.
    const again = logged();
    await trainRun({ ...record.config, resume: runDir }, again.options);
    expect(again.lines.filter((l) => l.startsWith('warning'))).toEqual([]);
    expect((await readRunRecord(runDir)).history).toHaveLength(2);
  });

  it('a damaged checkpoint named explicitly is an error in one line (no silent substitute)', async () => {
    await truncate(ckpt(4), 1000);
    const error = await trainRun(config({ steps: 5, resume: ckpt(4) }), quiet).catch(
      (e: Error) => e.message,
    );
    expect(error).toMatch(/^--resume: .*step-0000004\.safetensors cannot be restored \(.*\)$/);
  });
});
