/**
 * Node-only: run units on a pool of `node:worker_threads` workers (one face-api detector per
 * worker, since detection is CPU bound and single-threaded), or in this thread when `workers` is 0
 * (tests, debugging). Every unit resolves to a result or a recorded failure; it never rejects.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createFaceApiDetector } from '../landmarks/face-api-detector.node-only';
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

export type LandmarkMode = 'detect' | 'json';

/** Process a unit, turning any error into a failure record naming the file. */
export async function runUnitSafely(unit: WorkUnit, source: LandmarkSource): Promise<UnitResult> {
  try {
    return { ok: true, unit: await processUnit(unit, source) };
  } catch (e) {
    if (e instanceof UnitError)
      return { ok: false, failure: { key: unit.key, file: e.file, reason: e.reason } };
    return { ok: false, failure: { key: unit.key, file: unit.path, reason: (e as Error).message } };
  }
}

/** Lazily created landmark source (the detector loads its models on first use). */
export function lazyLandmarkSource(mode: LandmarkMode): () => Promise<LandmarkSource> {
  let source: Promise<LandmarkSource> | undefined;
  return () => {
    source ??=
      mode === 'json'
        ? Promise.resolve({ kind: 'json' as const })
        : createFaceApiDetector().then((detector) => ({ kind: 'detector' as const, detector }));
    return source;
  };
}

function workerFile(): string {
  // Beside this code in dist/, or two levels up when it sits in a shared chunk (dist/chunks/<entries>/).
  for (const dir of ['./', '../../']) {
    for (const name of ['prepare-worker.js', 'prepare-worker.mjs', 'prepare-worker.cjs']) {
      const path = fileURLToPath(new URL(`${dir}${name}`, import.meta.url));
      if (existsSync(path)) return path;
    }
  }
  throw new Error('th-data: prepare-worker.js not found beside the bundle; use --workers 0');
}

function inProcessRunner(mode: LandmarkMode): UnitRunner {
  const source = lazyLandmarkSource(mode);
  return {
    run: async (unit) => runUnitSafely(unit, await source()),
    close: async () => {},
  };
}

/** A runner with `workers` threads (0 = in this thread). */
export function createUnitRunner(workers: number, mode: LandmarkMode): UnitRunner {
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`bad worker count ${workers}`);
  if (workers === 0) return inProcessRunner(mode);
  const file = workerFile();
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const all = Array.from({ length: workers }, () => new Worker(file, { workerData: { mode } }));
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
