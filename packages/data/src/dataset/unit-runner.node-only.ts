/**
 * Node-only: run units on a pool of `node:worker_threads` workers (one face-api detector per
 * worker, since detection is CPU bound and single-threaded), or in this thread when `workers` is 0
 * (tests, debugging). Every unit resolves to a result or a recorded failure; it never rejects.
 */
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { ClipFrames } from '../frames/select-frames';
import { createFaceApiDetector } from '../landmarks/face-api-detector.node-only';
import { builtWorkerFile } from '../worker/built-worker-file.node-only';
import type { WorkUnit } from './discover.node-only';
import type { FailureRecord } from './format';
import {
  type LandmarkSource,
  type ProcessedUnit,
  processUnit,
  UnitError,
} from './process-unit.node-only';

export type UnitResult = { ok: true; unit: ProcessedUnit } | { ok: false; failure: FailureRecord };

export interface UnitRunner {
  run(unit: WorkUnit): Promise<UnitResult>;
  close(): Promise<void>;
}

/**
 * 'detect' (face-api: found once per utterance and tracked), 'detect-each' (face-api on every frame
 * independently: for folders of unrelated photos), 'json' (`NNNNN_landmarks.json` beside each
 * frame) or one landmark file.
 */
export type LandmarkMode = 'detect' | 'detect-each' | 'json' | { file: string };

/** What every unit of a job shares: the landmark mode, the input root and the resolution. */
export interface UnitJob {
  mode: LandmarkMode;
  /** input folder (landmark-file keys are relative to it) */
  root: string;
  /** stored resolution R */
  size: number;
  /** frames kept per video clip (absent: LSR's 10) */
  clipFrames?: ClipFrames;
}

/** Process a unit, turning any error into a failure record naming the file. */
export async function runUnitSafely(
  unit: WorkUnit,
  source: LandmarkSource,
  job: Pick<UnitJob, 'size' | 'clipFrames'>,
): Promise<UnitResult> {
  try {
    return { ok: true, unit: await processUnit(unit, source, job.size, job.clipFrames) };
  } catch (e) {
    if (e instanceof UnitError)
      return { ok: false, failure: { key: unit.key, file: e.file, reason: e.reason } };
    return { ok: false, failure: { key: unit.key, file: unit.path, reason: (e as Error).message } };
  }
}

/** Read a landmark file: `{ "<frame path relative to the input>": [[x, y]…68] | null }`. */
export async function readLandmarkFile(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new Error(`${path}: cannot read landmark file: ${e.message}`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: landmark file is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error(`${path}: landmark file must map frame paths to 68 [x, y] pairs or null`);
  return parsed as Record<string, unknown>;
}

/** Lazily created landmark source (the detector loads its models on first use). */
export function lazyLandmarkSource(job: UnitJob): () => Promise<LandmarkSource> {
  let source: Promise<LandmarkSource> | undefined;
  const { mode } = job;
  return () => {
    source ??=
      mode === 'json'
        ? Promise.resolve({ kind: 'json' as const })
        : mode === 'detect' || mode === 'detect-each'
          ? createFaceApiDetector().then((d) => ({
              kind: 'detector' as const,
              // Without detectSequence, processUnit detects every frame on its own.
              detector:
                mode === 'detect' ? d : { detect: d.detect.bind(d), dispose: d.dispose.bind(d) },
            }))
          : readLandmarkFile(mode.file).then((frames) => ({
              kind: 'file' as const,
              path: mode.file,
              root: job.root,
              frames,
            }));
    return source;
  };
}

function inProcessRunner(job: UnitJob): UnitRunner {
  const source = lazyLandmarkSource(job);
  return {
    run: async (unit) => runUnitSafely(unit, await source(), job),
    close: async () => {},
  };
}

/** A runner with `workers` threads (0 = in this thread). */
export function createUnitRunner(workers: number, job: UnitJob): UnitRunner {
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`bad worker count ${workers}`);
  if (workers === 0) return inProcessRunner(job);
  const file = builtWorkerFile('prepare-worker', import.meta.url);
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const all = Array.from({ length: workers }, () => new Worker(file, { workerData: job }));
  idle.push(...all);
  const release = (w: Worker) => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };
  const acquire = () =>
    new Promise<Worker>((resolve) => {
      const w = idle.pop();
      if (w) resolve(w);
      else waiting.push(resolve);
    });
  return {
    async run(unit) {
      const worker = await acquire();
      try {
        return await new Promise<UnitResult>((resolve, reject) => {
          const onError = (e: Error) => reject(e);
          worker.once('error', onError);
          worker.once('message', (msg: UnitResult) => {
            worker.off('error', onError);
            resolve(msg);
          });
          worker.postMessage(unit);
        });
      } catch (e) {
        return {
          ok: false,
          failure: {
            key: unit.key,
            file: unit.path,
            reason: `worker crashed: ${(e as Error).message}`,
          },
        };
      } finally {
        release(worker);
      }
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
