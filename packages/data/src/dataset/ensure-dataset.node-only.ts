/**
 * Node-only: "give me a prepared dataset for this path". A prepared dataset (dataset.json +
 * manifest.jsonl) is used as is; a folder of clips or frames goes through `prepare` first, into a
 * cache folder named after the input, the resolution and the landmark source, so the next run
 * finds it done (and a killed preparation resumes, as `prepare` does).
 */
import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { readDatasetSummary } from '../loader/dataset-index.node-only';
import { prepareDataset } from './prepare.node-only';
import type { ProgressSink } from './progress.node-only';
import type { LandmarkMode } from './unit-runner.node-only';

export interface EnsureDatasetOptions {
  /** resolution a folder is prepared at (and, with `exact`, the one a prepared dataset must have) */
  resolution: number;
  /** refuse a prepared dataset of another resolution (default true: training needs its own) */
  exact?: boolean;
  /** where folders are prepared to */
  cacheDir: string;
  landmarks?: LandmarkMode;
  workers?: number;
  /** progress of the preparation (default stderr) */
  log?: ProgressSink;
}

export interface EnsuredDataset {
  dir: string;
  /** true when this call ran (or finished) `prepare` */
  prepared: boolean;
}

export async function isPreparedDataset(path: string): Promise<boolean> {
  try {
    await access(join(path, 'manifest.jsonl'));
    await access(join(path, 'dataset.json'));
    return true;
  } catch {
    return false;
  }
}

/** The cache folder a raw input folder is prepared into. */
export function datasetCachePath(input: string, options: EnsureDatasetOptions): string {
  const absolute = resolve(input);
  const tag = createHash('sha256')
    .update(JSON.stringify([absolute, options.landmarks ?? 'detect']))
    .digest('hex')
    .slice(0, 10);
  return join(options.cacheDir, `${basename(absolute)}-${tag}-${options.resolution}px`);
}

export async function ensureDataset(
  path: string,
  options: EnsureDatasetOptions,
): Promise<EnsuredDataset> {
  if (await isPreparedDataset(path)) {
    const summary = await readDatasetSummary(path);
    if ((options.exact ?? true) && summary.resolution !== options.resolution)
      throw new Error(
        `${path}: prepared at ${summary.resolution}x${summary.resolution}, ${options.resolution}x${options.resolution} is needed; prepare it with th-data prepare --resolution ${options.resolution} (or pass the raw folder, which is prepared into a cache)`,
      );
    return { dir: path, prepared: false };
  }
  const dir = datasetCachePath(path, options);
  const log = options.log ?? process.stderr;
  if (await isPreparedDataset(dir)) {
    // A finished cache: rerunning prepare only checks the done records (fast) and picks up
    // new inputs.
    log.write(`dataset: ${path} is prepared in ${dir}; checking it is complete\n`);
  } else
    log.write(
      `dataset: preparing ${path} into ${dir} (${options.resolution}x${options.resolution})\n`,
    );
  const report = await prepareDataset({
    input: path,
    out: dir,
    resolution: options.resolution,
    landmarks: options.landmarks ?? 'detect',
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    log,
  });
  if (report.utterances === 0)
    throw new Error(
      `${path}: no utterance could be prepared (${report.failures} failed; see ${join(dir, 'failures.jsonl')})`,
    );
  return { dir, prepared: report.newUtterances > 0 || report.newFailures > 0 };
}
