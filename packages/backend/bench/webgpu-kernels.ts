/**
 * Benchmark and check @th's WGSL convolution / matmul kernels against tfjs-webgpu's own, call by
 * call, on the shapes a real training step makes (recorded by record-kernel-calls.ts, e.g. with
 * tools/device/stage2-kernel-calls.ts) or on a small built-in list.
 *
 *   node webgpu-kernels.mjs [calls.json]
 *
 * Environment: TH_OUT (results JSON, written atomically; default .bench/webgpu-kernels.json),
 * TH_TOP (calls per kernel, the largest by FLOP per step; default 6), TH_REPS (default 5).
 *
 * Per call: the GPU time of each implementation (tf.time's kernelMs: timestamp queries around
 * each dispatch; @th's split-K counts both of its passes), median of TH_REPS after a warm-up
 * that compiles the pipelines; the relative max error of @th's output against tfjs-webgpu's
 * (whole tensor) and against the defining sums in float64 (32 sampled elements). Exits 1 if an
 * error exceeds 1e-4.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '../src/init';
import { createRng } from '../src/util/rng';
import { relativeMaxError } from '../src/wasm/naive-conv-grads';
import { registerWebGpuKernels, restoreStockWebGpuKernels } from '../src/webgpu/register';
import {
  callFlops,
  callLabel,
  exactOutput,
  type KernelCall,
  matMulCall,
  medianKernelMs,
  prepareCall,
  sameConv3x3Calls,
  selectCalls,
} from './kernel-calls';

const TOLERANCE = 1e-4;

interface GpuLike {
  requestAdapter(o: object): Promise<{
    info?: { vendor?: string; architecture?: string; description?: string };
  } | null>;
}
const SAMPLES = 32;

/** Small calls for a smoke run without recorded shapes (e.g. on lavapipe). */
const DEFAULT_CALLS: KernelCall[] = [
  ...sameConv3x3Calls([2, 16, 16, 8], 16),
  matMulCall(4, 64, 32),
];

interface Timing {
  medianMs: number;
  reps: number;
}

async function gpuTime(run: () => tf.Tensor, reps: number): Promise<Timing> {
  return { medianMs: await medianKernelMs(run, reps), reps };
}

export interface KernelRow {
  label: string;
  kernel: string;
  gflop: number;
  countPerStep: number;
  ours: Timing & { gflops: number };
  stock: Timing & { gflops: number };
  speedup: number;
  errorVsStock: number;
  errorVsExact: number;
}

async function measure(call: KernelCall, seed: number, reps: number): Promise<KernelRow> {
  const rng = createRng(seed);
  const prepared = prepareCall(call, (n) => rng.normalArray(n, 0.5));
  const tensors = Object.fromEntries(
    Object.entries(prepared.inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]),
  );
  const run = () => prepared.run(tensors);
  const outputOf = async () => {
    const out = run();
    const values = (await out.data()) as Float32Array;
    out.dispose();
    return values;
  };
  registerWebGpuKernels();
  const ours = await outputOf(); // also compiles and uploads
  const oursTime = await gpuTime(run, reps);
  restoreStockWebGpuKernels();
  const stock = await outputOf();
  const stockTime = await gpuTime(run, oursTime.medianMs > 0 ? reps : 1);
  registerWebGpuKernels();
  tf.dispose(Object.values(tensors));
  const picks = Array.from({ length: SAMPLES }, () => rng.int(ours.length));
  const exact = picks.map((i) => exactOutput(call, prepared.inputs, i));
  const got = picks.map((i) => ours[i]!);
  const gflop = callFlops(call) / 1e9;
  const rate = (t: Timing) => ({ ...t, gflops: gflop / (t.medianMs / 1e3) });
  return {
    label: callLabel(call),
    kernel: call.kernel,
    gflop,
    countPerStep: call.count,
    ours: rate(oursTime),
    stock: rate(stockTime),
    speedup: stockTime.medianMs / oursTime.medianMs,
    errorVsStock: relativeMaxError(ours, stock),
    errorVsExact: relativeMaxError(got, exact),
  };
}

function table(rows: KernelRow[]): string {
  const head =
    '| call | per step | GFLOP | @th ms (GFLOP/s) | tfjs ms (GFLOP/s) | speed-up | err vs tfjs | err vs exact |';
  const lines = rows.map(
    (r) =>
      `| ${r.label} | ${r.countPerStep} | ${r.gflop.toFixed(2)} | ${r.ours.medianMs.toFixed(3)} (${r.ours.gflops.toFixed(0)}) | ${r.stock.medianMs.toFixed(3)} (${r.stock.gflops.toFixed(0)}) | ${r.speedup.toFixed(1)}x | ${r.errorVsStock.toExponential(1)} | ${r.errorVsExact.toExponential(1)} |`,
  );
  return [head, '|---|---|---|---|---|---|---|---|', ...lines].join('\n');
}

function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}

const env = process.env;
const callsPath = process.argv[2];
let all: KernelCall[];
try {
  all = callsPath ? (JSON.parse(readFileSync(callsPath, 'utf8')) as KernelCall[]) : DEFAULT_CALLS;
} catch (err) {
  console.error(`webgpu-kernels: cannot read calls file ${callsPath}: ${(err as Error).message}`);
  process.exit(2);
}
const top = Number(env.TH_TOP ?? 6);
const reps = Number(env.TH_REPS ?? 5);
const report = await init({
  backend: 'webgpu',
  webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
});
// The adapter tfjs-webgpu took (it asks for high-performance), described by its driver.
const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
const info = (await gpu?.requestAdapter({ powerPreference: 'high-performance' }))?.info;
const device = [info?.vendor, info?.architecture, info?.description].filter((s) => s).join(' / ');
console.log(`# webgpu: ${device}; @th kernels: ${report.addedKernels.join(', ')}`);
const selected = selectCalls(all, top);
const rows: KernelRow[] = [];
for (const [i, call] of selected.entries()) {
  const row = await measure(call, 1000 + i, reps);
  rows.push(row);
  console.log(
    `${i + 1}/${selected.length} ${row.label}: @th ${row.ours.medianMs.toFixed(3)} ms, tfjs ${row.stock.medianMs.toFixed(3)} ms, err ${row.errorVsStock.toExponential(1)} / ${row.errorVsExact.toExponential(1)}`,
  );
}
const perStep = (pick: (r: KernelRow) => number) =>
  rows.reduce((s, r) => s + pick(r) * r.countPerStep, 0);
const totalFlop = all.reduce((s, c) => s + callFlops(c) * c.count, 0) / 1e9;
const summary = {
  device,
  date: new Date().toISOString(),
  calls: all.length,
  timed: rows.length,
  stepGflopAll: totalFlop,
  stepGflopTimed: perStep((r) => r.gflop),
  stepMsTimedOurs: perStep((r) => r.ours.medianMs),
  stepMsTimedStock: perStep((r) => r.stock.medianMs),
  rows,
};
console.log(`\n${table(rows)}\n`);
console.log(
  `timed calls cover ${summary.stepGflopTimed.toFixed(0)} of ${totalFlop.toFixed(0)} GFLOP per step: @th ${summary.stepMsTimedOurs.toFixed(0)} ms, tfjs ${summary.stepMsTimedStock.toFixed(0)} ms of GPU time`,
);
writeJsonAtomic(env.TH_OUT ?? '.bench/webgpu-kernels.json', summary);
const bad = rows.filter((r) => !(r.errorVsStock < TOLERANCE && r.errorVsExact < TOLERANCE));
if (bad.length) {
  console.error(
    `webgpu-kernels: ${bad.length} calls exceed ${TOLERANCE}: ${bad.map((r) => r.label).join('; ')}`,
  );
  process.exitCode = 1;
}
process.exit(process.exitCode ?? 0);
