/**
 * Benchmark: a 3×3 'same' conv training step (forward + input gradient + filter gradient, the
 * gradients of sum(conv2d(x, w) · r)) and its parts, per backend and size.
 *
 *   npx tsup && npm run bench
 *
 * Environment: TH_BENCH_BACKENDS (default "cpu,wasm"; add "webgpu" on a GPU machine),
 * TH_BENCH_OUT (default .bench/conv-train-step.json), TH_BENCH_CAP_S (per-call cap, default 30),
 * TH_BENCH_SIZES ("n:size:cin:cout,..." to override the default sizes).
 *
 * Each backend × size runs in a worker thread, so a call slower than the cap (tfjs-cpu's filter
 * gradient) is stopped by terminating the worker and recorded as ">cap", never hanging the run.
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { BackendName } from '../src/backends/types';
import { type Cell, formatTable, type Row, writeJsonAtomic } from './bench-report';
import {
  type ConvSize,
  MEASURES,
  type Measure,
  measureConv,
  type WorkerMessage,
} from './conv-measure';

const DEFAULT_SIZES: ConvSize[] = [
  { n: 1, size: 32, cin: 32, cout: 32 },
  { n: 4, size: 64, cin: 64, cout: 64 },
  { n: 1, size: 128, cin: 32, cout: 64 },
];
const MAX_REPS = 10;
const BUDGET_MS = 3000;

function parseSizes(text: string | undefined): ConvSize[] {
  if (!text) return DEFAULT_SIZES;
  return text.split(',').map((item) => {
    const parts = item.split(':').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p <= 0)) {
      throw new Error(`TH_BENCH_SIZES: expected "n:size:cin:cout", got "${item}"`);
    }
    const [n, size, cin, cout] = parts as [number, number, number, number];
    return { n, size, cin, cout };
  });
}

/** Run one backend × size in a worker; stop it when one call exceeds `capMs`. */
function runWorker(backend: BackendName, size: ConvSize, capMs: number): Promise<Row> {
  const cells = {} as Record<Measure, Cell>;
  return new Promise((resolve) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { backend, size } });
    let timer: NodeJS.Timeout | undefined;
    // The cap restarts on every message: the first call includes backend start-up and warm-up.
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(`>cap ${capMs / 1000} s`, true), ms);
    };
    const finish = (note: string | null, terminate: boolean) => {
      clearTimeout(timer);
      for (const m of MEASURES) cells[m] ??= { ms: null, reps: 0, note: note ?? 'no result' };
      if (terminate) void worker.terminate();
      resolve({ backend, size, cells });
    };
    arm(capMs * 2);
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.kind === 'timing')
        cells[msg.timing.measure] = { ms: msg.timing.ms, reps: msg.timing.reps };
      if (msg.kind === 'done') return finish(null, true);
      if (msg.kind === 'error') return finish(`error: ${msg.message}`, true);
      // warm-up call + up to MAX_REPS calls must fit: cap per call, budget on top.
      arm(capMs * 2 + BUDGET_MS);
    });
    worker.on('error', (err) => finish(`error: ${err.message}`, false));
    worker.on('exit', () => finish('worker exited', false));
  });
}

async function main(): Promise<void> {
  const backends = (process.env.TH_BENCH_BACKENDS ?? 'cpu,wasm').split(',').map((b) => b.trim());
  const capMs = Number(process.env.TH_BENCH_CAP_S ?? 30) * 1000;
  const out = process.env.TH_BENCH_OUT ?? '.bench/conv-train-step.json';
  const sizes = parseSizes(process.env.TH_BENCH_SIZES);
  const rows: Row[] = [];
  const loads = [loadavg()[0]!];
  for (const size of sizes) {
    for (const backend of backends) {
      console.error(
        `bench: ${backend} N${size.n} ${size.size}x${size.size} ${size.cin}->${size.cout} ...`,
      );
      rows.push(await runWorker(backend as BackendName, size, capMs));
      loads.push(loadavg()[0]!);
    }
  }
  const table = formatTable(rows);
  console.log(table);
  const cpu = cpus();
  writeJsonAtomic(out, {
    benchmark: 'conv-train-step (3x3 same, NHWC, float32)',
    date: new Date().toISOString(),
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version },
    // Shared machines are noisy: the 1-minute load average before and after each measure.
    loadAverage: loads,
    wasmThreads: process.env.TH_WASM_THREADS ?? 'every core (default)',
    capSeconds: capMs / 1000,
    flop: 'forward = 2*N*H*W*Cin*Cout*9; each gradient the same; trainStep = 3x forward',
    rows,
    table,
  });
  console.error(`bench: wrote ${out}`);
}

async function workerMain(): Promise<void> {
  const { backend, size } = workerData as { backend: BackendName; size: ConvSize };
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  try {
    await measureConv(backend, size, post, { maxReps: MAX_REPS, budgetMs: BUDGET_MS });
    post({ kind: 'done' });
  } catch (err) {
    post({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
} else {
  void workerMain();
}
