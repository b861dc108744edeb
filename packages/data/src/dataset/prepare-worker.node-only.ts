/**
 * Worker-thread entry of `th-data prepare`: receives {@link WorkUnit}s, answers with
 * {@link UnitResult}s. Built as its own file (`dist/prepare-worker.js`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkUnit } from './discover.node-only';
import {
  lazyLandmarkSource,
  runUnitSafely,
  type UnitJob,
  type UnitResult,
} from './unit-runner.node-only';

/** Start answering; called by the worker entry file, never at import time of the library. */
export function startPrepareWorker(): void {
  if (!parentPort) throw new Error('prepare-worker: must run inside a worker thread');
  const port = parentPort;
  const job = workerData as UnitJob;
  const source = lazyLandmarkSource(job);
  port.on('message', async (unit: WorkUnit) => {
    let result: UnitResult;
    try {
      result = await runUnitSafely(unit, await source(), job);
    } catch (e) {
      // The detector could not load: report it on this unit instead of killing the worker.
      const reason = `landmark source failed to start: ${(e as Error).message}`;
      result = { ok: false, failure: { key: unit.key, file: unit.path, reason } };
    }
    // Transfer the shard bytes instead of copying them.
    const transfer = result.ok ? [result.unit.bytes.buffer as ArrayBuffer] : [];
    port.postMessage(result, transfer);
  });
}
