/**
 * Which reductions one LSR stage-2 training step runs on WebGPU, and what they dispatch: every
 * Sum/Mean/Max/Min/Prod/All/Any/ArgMax/ArgMin call and every Transpose kernel of one
 * `Stage2Trainer.step` (after one warm-up step), with input shape, axes and keepDims, counted,
 * plus the GPU programs each kernel call dispatched (tfjs' reductions transpose internally:
 * their TransposeProgram dispatches show up under the reduction). Also the step's totals.
 *
 *   npx turbo run build --filter=@th/train...
 *   node tools/device/bundle.mjs packages/train/bench/reduction-census.ts census
 *   TH_BENCH_PRESET=lsr-64 TH_BENCH_BATCH=4 TH_BENCH_K=4 node .device/census.mjs [out.json]
 *
 * TH_CENSUS_WARMUP=0 skips the warm-up step.
 *
 * TH_STOCK_REDUCTIONS=1 puts tfjs-webgpu's own Sum/Mean/Max back (the "before" of @th's
 * reduction kernels). Runs on any WebGPU adapter (lavapipe included: lsr-64 takes minutes).
 */
import { renameSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { init, restoreStockWebGpuKernels } from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { benchStage2Batch, benchStage2Trainer } from './synthetic-inputs';

/** Kernels @th's reduction kernels replace (restored by TH_STOCK_REDUCTIONS=1). */
const REDUCTION_KERNELS = ['Sum', 'Mean', 'Max'];

const WATCHED = [
  'Sum',
  'Mean',
  'Max',
  'Min',
  'Prod',
  'All',
  'Any',
  'ArgMax',
  'ArgMin',
  'Transpose',
] as const;

interface Row {
  kernel: string;
  dtype: string;
  shape: number[];
  /** Axes as given (or perm for Transpose). */
  axes: string;
  keepDims: boolean;
  count: number;
  /** GPU programs dispatched by these calls, summed over them. */
  programs: Record<string, number>;
}

const env = process.env;
const preset = (env.TH_BENCH_PRESET ?? 'lsr-64') as PresetName;
const batch = Number(env.TH_BENCH_BATCH ?? 4);
const k = Number(env.TH_BENCH_K ?? 4);
const out = process.argv[2];

const report = await init({
  backend: 'webgpu',
  webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
});
if (env.TH_STOCK_REDUCTIONS === '1') {
  const restored = restoreStockWebGpuKernels(REDUCTION_KERNELS);
  console.log(`# tfjs-webgpu's own reductions: ${restored.join(', ') || '(none were @th)'}`);
}
console.log(`# ${preset} batch ${batch} K ${k}; ${report.addedKernels.length} kernels/parts added`);

const config = presetConfig(preset);
const r = config.resolution;
const model = new LsrModel(config, { checkRange: false }).initialize(0);
const trainer = benchStage2Trainer(model, true);
const data = benchStage2Batch(batch, k, r);

let t0 = performance.now();
// One warm-up step by default (the measured step then meets a warm pool, as in gpu-bench);
// TH_CENSUS_WARMUP=0 skips it (the calls are the same; saves time on a software adapter).
if (Number(env.TH_CENSUS_WARMUP ?? 1) > 0) {
  const warm = await trainer.step(data, 1e-4);
  console.log(
    `# warm-up step ${((performance.now() - t0) / 1000).toFixed(1)} s, g.total ${warm.losses['g.total']}, d.total ${warm.losses['d.total']}`,
  );
}

// Hooks: wrap the watched kernels (the engine looks kernels up per call) and the backend's
// dispatch recorder, attributing each dispatch to the innermost watched kernel running.
const rows = new Map<string, Row>();
const stack: Row[] = [];
const totals: Record<string, number> = {};
let dispatches = 0;
const originals = WATCHED.flatMap((name) => {
  const config = tf.getKernel(name, 'webgpu');
  if (!config) return [];
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const x = (args.inputs.x ?? Object.values(args.inputs)[0]) as tf.TensorInfo;
      const attrs = args.attrs as { axis?: number | number[]; perm?: number[]; keepDims?: boolean };
      const axes = JSON.stringify(name === 'Transpose' ? attrs.perm : attrs.axis);
      const keepDims = attrs.keepDims ?? false;
      const key = `${name}|${x.dtype}|${x.shape}|${axes}|${keepDims}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          kernel: name,
          dtype: x.dtype,
          shape: x.shape,
          axes,
          keepDims,
          count: 0,
          programs: {},
        };
        rows.set(key, row);
      }
      row.count++;
      stack.push(row);
      try {
        return config.kernelFunc(args);
      } finally {
        stack.pop();
      }
    },
  });
  return [config];
});
const be = tf.backend() as unknown as {
  recordAndSubmit(program: { constructor: { name: string } }, ...rest: unknown[]): unknown;
};
const recordAndSubmit = be.recordAndSubmit;
be.recordAndSubmit = function (program, ...rest) {
  dispatches++;
  const name = program.constructor.name;
  totals[name] = (totals[name] ?? 0) + 1;
  const row = stack[stack.length - 1];
  if (row) row.programs[name] = (row.programs[name] ?? 0) + 1;
  return recordAndSubmit.call(this, program, ...rest);
};

t0 = performance.now();
const res = await trainer.step(data, 1e-4);
const seconds = (performance.now() - t0) / 1000;
be.recordAndSubmit = recordAndSubmit;
for (const config of originals) {
  tf.unregisterKernel(config.kernelName, 'webgpu');
  tf.registerKernel(config);
}
trainer.dispose();
tf.dispose(Object.values(data));

const table = [...rows.values()].sort(
  (a, b) => a.kernel.localeCompare(b.kernel) || b.count - a.count,
);
console.log(
  `# measured step ${seconds.toFixed(1)} s, g.total ${res.losses['g.total']}, d.total ${res.losses['d.total']}`,
);
console.log(
  '| kernel | dtype | input shape | axes / perm | keepDims | calls | dispatches per call |',
);
console.log('|---|---|---|---|---|---|---|');
for (const row of table) {
  const per = Object.entries(row.programs)
    .map(([p, n]) => `${p} ${+(n / row.count).toFixed(2)}`)
    .join(', ');
  console.log(
    `| ${row.kernel} | ${row.dtype} | [${row.shape}] | ${row.axes} | ${row.keepDims} | ${row.count} | ${per || 'none (CPU)'} |`,
  );
}
const pick = (name: string) => totals[name] ?? 0;
const summary = {
  preset,
  batch,
  k,
  stockReductions: env.TH_STOCK_REDUCTIONS === '1',
  dispatches,
  reduceProgram: pick('ReduceProgram'),
  transposeProgram: pick('TransposeProgram'),
  thReduce: Object.entries(totals)
    .filter(([n]) => n.startsWith('ThReduce'))
    .reduce((s, [, n]) => s + n, 0),
  losses: res.losses,
};
console.log(`# totals ${JSON.stringify(summary)}`);
if (out) {
  writeFileSync(`${out}.tmp`, `${JSON.stringify({ ...summary, totals, table }, null, 1)}\n`);
  renameSync(`${out}.tmp`, out);
  console.log(`# wrote ${out}`);
}
process.exit(0);
