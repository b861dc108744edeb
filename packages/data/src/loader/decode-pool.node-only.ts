/**
 * Node-only: decoding examples off the main thread, on a pool of `node:worker_threads` workers
 * (built as dist/loader-worker.js), so the thread that drives training only waits for data when
 * the pool falls behind. With 0 workers the examples are decoded in the calling thread. Workers
 * hold the event loop only while they have work, so a stream that is dropped without `close()`
 * never keeps a process alive.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { builtWorkerFile } from '../worker/built-worker-file.node-only';
import { decodeExample, type ExampleJob, exampleBuffers } from './decode-example.node-only';
import type { KShotExample } from './kshot-example';

export interface DecodePool {
  decode(job: ExampleJob): Promise<KShotExample>;
  close(): Promise<void>;
}

type Reply = { id: number; example?: KShotExample; error?: string };

export function createDecodePool(workers: number): DecodePool {
  if (!Number.isInteger(workers) || workers < 0)
    throw new Error(`loader workers must be a non-negative integer, got ${workers}`);
  if (workers === 0) return { decode: async (job) => decodeExample(job), close: async () => {} };
  const file = builtWorkerFile('loader-worker', import.meta.url);
  const pending = new Map<
    number,
    { resolve: (e: KShotExample) => void; reject: (e: Error) => void; worker: Slot }
  >();
  interface Slot {
    worker: Worker;
    busy: number;
  }
  let nextId = 0;
  let failure: Error | null = null;
  const slots: Slot[] = Array.from({ length: workers }, () => {
    const slot: Slot = { worker: new Worker(file), busy: 0 };
    slot.worker.unref();
    slot.worker.on('message', (reply: Reply) => {
      const job = pending.get(reply.id);
      if (!job) return;
      pending.delete(reply.id);
      if (--slot.busy === 0) slot.worker.unref();
      if (reply.example) job.resolve(reply.example);
      else job.reject(new Error(reply.error ?? 'decode worker: no answer'));
    });
    slot.worker.on('error', (e) => {
      failure = new Error(`loader worker crashed: ${e.message}`);
      for (const [id, job] of pending)
        if (job.worker === slot) {
          pending.delete(id);
          job.reject(failure);
        }
    });
    return slot;
  });
  return {
    decode(job) {
      if (failure) return Promise.reject(failure);
      const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      const id = nextId++;
      if (slot.busy++ === 0) slot.worker.ref();
      return new Promise<KShotExample>((resolve, reject) => {
        pending.set(id, { resolve, reject, worker: slot });
        slot.worker.postMessage(
          { id, job },
          job.members.map((m) => m.buffer as ArrayBuffer),
        );
      });
    },
    async close() {
      for (const [, job] of pending) job.reject(new Error('loader closed'));
      pending.clear();
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/** Worker side: answer decode requests. Called by the worker entry file, never at import time. */
export function startDecodeWorker(): void {
  if (!parentPort) throw new Error('loader-worker: must run inside a worker thread');
  const port = parentPort;
  port.on('message', ({ id, job }: { id: number; job: ExampleJob }) => {
    try {
      const example = decodeExample(job);
      port.postMessage({ id, example } satisfies Reply, exampleBuffers(example));
    } catch (e) {
      port.postMessage({ id, error: (e as Error).message } satisfies Reply);
    }
  });
}
