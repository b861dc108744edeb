/**
 * Node-only: `prepare`, the resumable preprocessing job. Units are discovered and planned into
 * shards (see shard-plan.ts); shards with a valid done record are skipped; the others are
 * processed on the worker pool and written in unit order, so an interrupted-then-resumed run gives
 * byte-identical shards to an uninterrupted one. Bad units are recorded and skipped.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { type ClipFrames, clipFrameRule, LSR_CLIP_FRAMES } from '../frames/select-frames';
import { writeFileAtomic } from '../image/image-files.node-only';
import { readAllDoneRecords, readDoneRecord, writeManifest } from './dataset-files.node-only';
import { discoverUnits, type WorkUnit } from './discover.node-only';
import {
  type DatasetSummary,
  DEFAULT_RESOLUTION,
  datasetSettings,
  FORMAT_VERSION,
  shardName,
} from './format';
import { createProgress, type ProgressSink } from './progress.node-only';
import { type JobSlot, planShards, shardsOfJob } from './shard-plan';
import { ShardWriter } from './shard-writer.node-only';
import { createUnitRunner, type LandmarkMode, type UnitResult } from './unit-runner.node-only';

export interface PrepareOptions {
  input: string;
  out: string;
  /** utterances per shard (default 1000) */
  shardSize?: number;
  /** worker threads (default: all cores; 0 = this thread) */
  workers?: number;
  /** 'detect' (face-api, default), 'json' beside each frame, or `{ file }` */
  landmarks?: LandmarkMode;
  /** side R of every stored image (default 224, VoxCeleb2's own size) */
  resolution?: number;
  /** frames kept per video clip: at most N spread over it, or 'all' (default LSR's 10) */
  clipFrames?: ClipFrames;
  slot?: JobSlot;
  /** progress and log output (default process.stderr) */
  log?: ProgressSink;
}

export interface PrepareReport extends DatasetSummary {
  skippedShards: number;
  newUtterances: number;
  newFailures: number;
  seconds: number;
}

interface Job {
  unit: WorkUnit;
  shard: number;
  last: boolean;
}

export async function prepareDataset(options: PrepareOptions): Promise<PrepareReport> {
  const start = Date.now();
  const log = options.log ?? process.stderr;
  const given = options.landmarks ?? 'detect';
  const mode: LandmarkMode = typeof given === 'object' ? { file: resolve(given.file) } : given;
  const shardSize = options.shardSize ?? 1000;
  const resolution = options.resolution ?? DEFAULT_RESOLUTION;
  if (!Number.isInteger(resolution) || resolution < 8 || resolution > 4096)
    throw new Error(`--resolution must be an integer in 8..4096, got ${resolution}`);
  const slot = options.slot ?? { index: 0, count: 1, from: 'default' };
  const clipFrames = options.clipFrames ?? LSR_CLIP_FRAMES;
  clipFrameRule(clipFrames); // refuses a bad value before any work
  const settings = datasetSettings({ landmarks: mode, shardSize, resolution, clipFrames });
  const units = await discoverUnits(options.input);
  const shards = planShards(units, shardSize);
  const pending: number[] = [];
  let skippedShards = 0;
  for (const s of shardsOfJob(shards.length, slot)) {
    const done = await readDoneRecord(options.out, shardName(s));
    const keys = shards[s]!.map((u) => u.key);
    if (done && done.settings !== settings) {
      throw new Error(
        `${options.out}: made with other settings (${done.settings}); use a new --out`,
      );
    }
    if (done && JSON.stringify(done.units) === JSON.stringify(keys)) skippedShards++;
    else pending.push(s);
  }
  const jobs: Job[] = pending.flatMap((s) =>
    shards[s]!.map((unit, i) => ({ unit, shard: s, last: i === shards[s]!.length - 1 })),
  );
  log.write(
    `th-data prepare: ${units.length} utterances in ${shards.length} shards at ${resolution}x${resolution}; job ${slot.index}/${slot.count} ` +
      `(${slot.from}); ${skippedShards} shards already done, ${pending.length} to do\n`,
  );
  const workers = options.workers ?? availableParallelism();
  const runner = createUnitRunner(Math.min(workers, jobs.length), {
    mode,
    root: resolve(options.input),
    size: resolution,
    clipFrames,
  });
  const progress = createProgress(jobs.length, log);
  let newUtterances = 0;
  let newFailures = 0;

  // Results arrive out of order; they are written strictly in job order (deterministic shards).
  const results = new Map<number, UnitResult>();
  let head = 0;
  let writer: ShardWriter | undefined;
  let flushing = Promise.resolve();
  const flush = async () => {
    while (results.has(head)) {
      const job = jobs[head]!;
      const result = results.get(head)!;
      results.delete(head);
      writer ??= await ShardWriter.open(
        options.out,
        shardName(job.shard),
        shards[job.shard]!.map((u) => u.key),
        settings,
      );
      if (result.ok) {
        await writer.addUtterance(result.unit.entry, result.unit.bytes);
        newUtterances++;
      } else {
        writer.addFailure(result.failure);
        newFailures++;
      }
      if (job.last) {
        await writer.finish();
        writer = undefined;
      }
      head++;
    }
  };
  let next = 0;
  const lanes = Math.max(1, workers);
  const lane = async () => {
    while (next < jobs.length) {
      const index = next++;
      const result = await runner.run(jobs[index]!.unit);
      progress.tick(result.ok ? result.unit.entry.frames.length : 0, !result.ok);
      results.set(index, result);
      flushing = flushing.then(flush);
      await flushing;
    }
  };
  try {
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    progress.finish();
    await runner.close();
    if (writer) await (writer as ShardWriter).abort();
  }

  const records = await readAllDoneRecords(options.out);
  await writeManifest(options.out, records);
  const entries = records.flatMap((r) => r.entries);
  const summary: DatasetSummary = {
    format: FORMAT_VERSION,
    settings,
    resolution,
    shardsPlanned: shards.length,
    shardsDone: records.length,
    utterances: entries.length,
    frames: entries.reduce((n, e) => n + e.frames.length, 0),
    failures: records.reduce((n, r) => n + r.failures.length, 0),
  };
  await writeFileAtomic(
    join(options.out, 'dataset.json'),
    new TextEncoder().encode(`${JSON.stringify(summary, null, 2)}\n`),
  );
  const seconds = (Date.now() - start) / 1000;
  log.write(
    `th-data prepare: done in ${seconds.toFixed(1)} s: ${newUtterances} utterances written, ` +
      `${newFailures} failed (see failures.jsonl), ${skippedShards} shards skipped; dataset now ` +
      `${summary.utterances} utterances, ${summary.frames} frames, ${summary.shardsDone}/${shards.length} shards\n`,
  );
  return { ...summary, skippedShards, newUtterances, newFailures, seconds };
}
