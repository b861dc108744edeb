import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  batchToTensors,
  encodeRgbPng,
  evalSubjects,
  type KShotExample,
  openKShotStream,
  writeFileAtomic,
} from '@th/data/node';
import type { LsrModel } from '@th/models';
import { colorJitter } from '../data/color-jitter';
import { DatasetSource } from '../data/dataset-source.node-only';
import { disposeBatch } from '../data/example-source';
import { Stage1Trainer } from '../loop/stage1-step';
import { Stage2Trainer } from '../loop/stage2-step';
import type { StepResult } from '../loop/step-result';
import type { Adam } from '../optim/adam';
import { describeLossScaleEvent, type LossScaleState } from '../optim/loss-scale';
import { learningRateAt } from '../schedule/learning-rate';
import { curvesHtml } from './curves-html';
import { evaluateHoldout } from './holdout-eval';
import {
  appendMetrics,
  formatRow,
  type MetricsRow,
  RunLog,
  readMetrics,
  rowsUpTo,
} from './metrics-log';
import { Progress } from './progress';
import {
  type ConfigChange,
  type ConfigHistoryEntry,
  formatChange,
  planResume,
} from './resume-config';
import { createRunDir, type RunPaths, runPaths } from './run-dir';
import {
  buildModel,
  holdoutIdentities,
  loadWeights,
  lossesOf,
  resolutionOf,
  trainingDataset,
  vgg19Of,
  vggFaceOf,
} from './run-setup';
import { sampleGrid } from './sample-grid';
import { runSchedule } from './schedule-for-run';
import { applyPrecision, lossScaleOptions, type TrainConfig } from './train-config';
import {
  checkpointName,
  listCheckpoints,
  loadTrainingCheckpoint,
  pruneCheckpoints,
  saveTrainingCheckpoint,
} from './training-checkpoint';

export interface TrainRunOptions {
  /** Called before every step (e.g. to inject faults in tests). */
  beforeStep?: (step: number, model: LsrModel) => void;
  /** Status lines (also written to log.txt). Default: stderr. */
  log?: (line: string) => void;
  /** Draw a progress bar / progress lines on stderr. Default true. */
  progress?: boolean;
}

export interface TrainRunResult {
  runDir: string;
  step: number;
  examplesSeen: number;
  rows: MetricsRow[];
}

/** Consecutive non-finite steps after which the latest checkpoint is reloaded. */
const MAX_BAD_STEPS = 3;

/** Train stage 1 or 2 per `config` in a run directory; see the package README for the layout. */
export async function trainRun(
  requested: TrainConfig,
  options: TrainRunOptions = {},
): Promise<TrainRunResult> {
  const say = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const resumeFrom = requested.resume ? await resolveResume(requested.resume) : null;
  // A resumed run continues as its config.json recorded it: fields that fix what the run is
  // cannot change (refused, listed); other changes are applied, logged and recorded below.
  let config = requested;
  let resumeChanges: ConfigChange[] = [];
  let history: ConfigHistoryEntry[] = [];
  if (resumeFrom) {
    const recorded = await readRunRecord(resumeFrom.runDir);
    const plan = planResume(recorded.config, requested, resumeFrom.runDir);
    config = plan.config;
    resumeChanges = plan.changes;
    history = recorded.history;
  }
  const paths: RunPaths = resumeFrom
    ? runPaths(resumeFrom.runDir)
    : await createRunDir(
        config.run.parent,
        config.run.desc ?? `${config.preset}-stage${config.stage}`,
      );
  const runLog = new RunLog(paths.log, say);
  const log = (line: string) => {
    say(line);
    runLog.write(line);
  };
  if (!resumeFrom) await writeFile(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  for (const c of resumeChanges) log(`warning: resume changes ${formatChange(c)}`);
  log(
    `run ${paths.root}: ${config.preset} stage ${config.stage}, ${config.steps} steps of batch ${config.batch}, K ${config.k}`,
  );

  // One input: the prepared dataset (a raw folder is prepared into the cache first).
  const dataset = await trainingDataset(config, log);
  const holdout = config.data.holdout ? await holdoutIdentities(dataset) : [];
  const streamOptions = {
    dataset,
    k: config.k,
    seed: config.seed + 1,
    rank: config.data.rank,
    worldSize: config.data.worldSize,
    shuffleBuffer: config.data.shuffleBuffer,
    ...(config.data.workers !== null ? { workers: config.data.workers } : {}),
    excludeSplits: ['test'],
    resolution: resolutionOf(config),
  };
  const source = await DatasetSource.open({ ...streamOptions, batchSize: config.batch });
  log(
    `data: ${dataset} (${source.epochLength} examples per epoch on rank ${config.data.rank}/${config.data.worldSize}` +
      `${holdout.length ? `; hold-out evaluation on ${holdout.length} identities` : '; no hold-out split'})`,
  );
  try {
    const samples = await sampleExamples(streamOptions, Math.min(config.batch, 4));
    // Run configs written before `precision` existed are f32.
    const precision = config.precision ?? 'f32';
    applyPrecision(precision, log);
    const model = buildModel(config);
    const losses = lossesOf(config);
    const vgg19 = await vgg19Of(config, log);
    const vggFace = await vggFaceOf(config, log);
    const lossScale = precision === 'mixed' && lossScaleOptions(config);
    const captureSteps = config.captureSteps ?? false;
    if (captureSteps && config.stage === 1)
      log('captured steps: stage-1 steps run eagerly (only stage 2 and fine-tuning capture)');
    const trainer =
      config.stage === 1
        ? new Stage1Trainer(model, { losses, vgg19, lossScale })
        : new Stage2Trainer(model, { losses, vgg19, vggFace, lossScale, captureSteps, log });
    const optimizers: Record<string, Adam> =
      trainer instanceof Stage1Trainer
        ? { layout: trainer.optimizer }
        : { g: trainer.gOptimizer, d: trainer.dOptimizer };
    let step = 0;
    let examples = 0;
    let best: { value: number; path: string } | null = null;
    let rows: MetricsRow[] = [];
    const restore = async (path: string) => {
      const s = await loadTrainingCheckpoint(path, model, optimizers);
      await source.setState(s.source);
      step = s.step;
      examples = s.examplesSeen;
      best = (s.extra?.best as typeof best) ?? null;
      const scaleState = s.extra?.lossScale as LossScaleState | undefined;
      if (trainer.lossScale && scaleState) trainer.lossScale.setState(scaleState);
      log(`restored ${path} (step ${step}, ${examples} examples)`);
    };
    if (resumeFrom) {
      await restoreNewestGood(resumeFrom, restore, log);
      rows = rowsUpTo(await readMetrics(paths.metrics), step);
      await writeFile(paths.metrics, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      if (resumeChanges.length) {
        // config.json: the config in effect from now on, and what changed from which step.
        history = [...history, { fromStep: step, changes: resumeChanges }];
        const record = { ...config, resume: null, history };
        await writeFileAtomic(
          paths.config,
          new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`),
        );
      }
    } else if (config.init) {
      const w = await loadWeights(config.init, model, config.stage === 2 ? 'stage2-init' : null);
      examples = config.stage === 2 ? w.examplesSeen : 0;
      log(
        `warm start from ${config.init}: ${w.loaded} tensors (${w.only?.join(', ') ?? 'all'}), examples counter ${examples}`,
      );
    }
    const schedule = runSchedule(config, resumeFrom ? examples - step * config.batch : examples);
    const progress = options.progress === false ? null : new Progress(config.steps, step, examples);
    const evalKey = config.stage === 1 ? 'layoutCrossEntropy' : 'l1';
    let bad = 0;
    let reloads = 0;
    let windowStart = performance.now();
    let windowExamples = 0;

    while (step < config.steps) {
      options.beforeStep?.(step, model);
      const lr = learningRateAt(examples, schedule);
      // Seeded per step: a resumed run sees the transforms an uninterrupted one would have.
      const batch = colorJitter(
        await source.next(),
        config.data.colorJitter ?? 0,
        config.seed * 1_000_003 + 2 * step,
      );
      let result: StepResult;
      try {
        result = await trainer.step(batch, lr);
      } finally {
        disposeBatch(batch);
      }
      step += 1;
      examples += config.batch;
      windowExamples += config.batch;
      const scaleEvent = result.lossScale?.event;
      if (result.lossScale?.overflow) {
        // Loss scaling's overflow: the scale was lowered; not a divergence.
        log(`step ${step}: skipped (${result.problem})`);
      } else if (!result.applied) {
        bad += 1;
        log(`step ${step}: skipped (${result.problem}); ${bad} bad step(s) in a row`);
        if (bad >= MAX_BAD_STEPS) {
          const latest = (await listCheckpoints(paths.checkpoints)).at(-1);
          if (!latest || reloads >= MAX_BAD_STEPS)
            throw new Error(
              `training diverged: ${bad} non-finite steps in a row at step ${step}${latest ? ` after ${reloads} reloads` : ' and no checkpoint to reload'} (${result.problem})`,
            );
          reloads += 1;
          await restore(latest);
          bad = 0;
          continue;
        }
      } else {
        bad = 0;
        if (scaleEvent) log(`step ${step}: ${describeLossScaleEvent(scaleEvent)}`);
      }
      const isLast = step === config.steps;
      const checkpointNow = step % config.checkpointEvery === 0 || isLast;
      if (step % config.logEvery === 0 || checkpointNow) {
        const seconds = (performance.now() - windowStart) / 1000;
        const row: MetricsRow = {
          step,
          examples,
          lr,
          examplesPerSecond: windowExamples / Math.max(seconds, 1e-9),
          losses: result.losses,
        };
        if (!result.applied) row.skipped = true;
        if (result.lossScale) row.lossScale = result.lossScale.scale;
        if (checkpointNow && holdout.length) {
          const { frames, ...metrics } = await evaluateHoldout(
            model,
            evalSubjects(dataset, config.k, holdout),
          );
          row.eval = metrics;
        }
        rows.push(row);
        await appendMetrics(paths.metrics, row);
        runLog.write(formatRow(row));
        await writeFileAtomic(paths.curves, new TextEncoder().encode(curvesHtml(paths.root, rows)));
        windowStart = performance.now();
        windowExamples = 0;
      }
      if (step % config.sampleEvery === 0 || isLast)
        await writeSamples(paths, model, samples, step);
      // never checkpoint inside a bad streak: the reload must go back to healthy weights
      if (checkpointNow && bad === 0) {
        const path = join(paths.checkpoints, checkpointName(step));
        const value = rows.at(-1)?.eval?.[evalKey];
        if (value !== undefined && (!best || value < best.value)) best = { value, path };
        await saveTrainingCheckpoint(
          path,
          model,
          optimizers,
          {
            step,
            examplesSeen: examples,
            source: source.getState(),
            extra: {
              stage: config.stage,
              best,
              ...(trainer.lossScale ? { lossScale: trainer.lossScale.getState() } : {}),
            },
          },
          config,
        );
        await pruneCheckpoints(
          paths.checkpoints,
          config.keepLast,
          (best as { path: string } | null)?.path ?? null,
        );
      }
      progress?.update(step, examples);
    }
    log(
      `done: ${step} steps, ${examples} examples${best ? `; best held-out ${evalKey} ${(best as { value: number }).value.toFixed(4)}` : ''}`,
    );
    trainer.dispose();
    model.dispose();
    const lost = await runLog.flush();
    if (lost) say(`${paths.log}: ${lost} line(s) could not be written`);
    return { runDir: paths.root, step, examplesSeen: examples, rows };
  } finally {
    await source.close();
  }
}

/** A fixed set of examples for the sample sheets (its own stream: training data is unaffected). */
async function sampleExamples(
  options: Parameters<typeof openKShotStream>[0],
  count: number,
): Promise<KShotExample[]> {
  const stream = await openKShotStream({
    ...options,
    seed: 12345,
    workers: 0,
    shuffleBuffer: 1,
    prefetch: 1,
  });
  try {
    return await stream.nextBatch(count);
  } finally {
    await stream.close();
  }
}

interface ResumeSource {
  runDir: string;
  /** Checkpoints to try, newest first. */
  checkpoints: string[];
  /** A checkpoint file was named: no falling back to an earlier one. */
  explicit: boolean;
}

/** A checkpoint file (its run is two folders up), or a run directory (its checkpoints). */
async function resolveResume(path: string): Promise<ResumeSource> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new Error(`--resume: ${path} does not exist`);
  if (info.isFile()) return { runDir: join(path, '..', '..'), checkpoints: [path], explicit: true };
  const checkpoints = (await listCheckpoints(join(path, 'checkpoints'))).reverse();
  if (!checkpoints.length)
    throw new Error(`--resume: ${path} has no checkpoints/step-*.safetensors`);
  return { runDir: path, checkpoints, explicit: false };
}

const firstLine = (err: unknown) => String((err as Error).message ?? err).split('\n')[0];

/**
 * Restore the newest checkpoint that loads. A damaged one (truncated, corrupted: the SHA-256 check
 * fails) is reported in one line and the previous one the run keeps is used; a checkpoint named
 * explicitly is not replaced by another.
 */
async function restoreNewestGood(
  from: ResumeSource,
  restore: (path: string) => Promise<void>,
  log: (line: string) => void,
): Promise<void> {
  for (const [i, path] of from.checkpoints.entries()) {
    try {
      await restore(path);
      return;
    } catch (err) {
      const previous = from.checkpoints[i + 1];
      if (from.explicit || !previous)
        throw new Error(
          `--resume: ${path} cannot be restored (${firstLine(err)})${from.explicit ? '' : '; no earlier checkpoint to fall back on'}`,
        );
      log(
        `warning: resume: ${basename(path)} is damaged (${firstLine(err)}); continuing from the previous checkpoint, ${basename(previous)}`,
      );
    }
  }
}

/** Sample sheet of the fixed sample examples. */
async function writeSamples(
  paths: RunPaths,
  model: LsrModel,
  examples: readonly KShotExample[],
  step: number,
) {
  const batch = batchToTensors(examples);
  try {
    const grid = await sampleGrid(model, batch);
    await writeFileAtomic(
      join(paths.samples, `step-${String(step).padStart(7, '0')}.png`),
      encodeRgbPng(grid),
    );
  } finally {
    disposeBatch(batch);
  }
}

/** Read a run's resolved config (as in effect now, after any resume that changed it). */
export async function readRunConfig(runDir: string): Promise<TrainConfig> {
  return (await readRunRecord(runDir)).config;
}

/** A run's config.json: the config in effect, and the changes resumes made (from which step). */
export async function readRunRecord(
  runDir: string,
): Promise<{ config: TrainConfig; history: ConfigHistoryEntry[] }> {
  const file = runPaths(runDir).config;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`--resume: ${file} is missing: is ${runDir} a th-train run directory?`);
  }
  const { history, ...config } = JSON.parse(text) as TrainConfig & {
    history?: ConfigHistoryEntry[];
  };
  return { config: config as TrainConfig, history: history ?? [] };
}
