/**
 * Check and time @th's mixed-precision GEMM kernels on a GPU (tools/device/mixed-precision.sh
 * runs it on the H100; it also runs on lavapipe, slowly, where only the tiled f16 path exists):
 *
 * 1. Per kernel call (recorded calls of a training step, e.g. by tools/device/stage2-kernel-calls.ts,
 *    or a built-in list of lsr-224-like shapes): the output and GPU time of the f32 kernel, the
 *    tiled f16 kernel and, where the device offers subgroup matrices, the tensor-core kernel, each
 *    with every operand f16 and with split weights (Conv2D, BatchMatMul). The tensor-core output
 *    must equal the tiled f16 one up to summation order (both see the same rounded operands and
 *    accumulate in f32): relative error < 1e-4, else the run fails. Against f32 the error is
 *    f16 rounding (reported).
 * 2. Second order: the parameter gradient of R1 + R2 of the toy discriminator under mixed vs f32
 *    on the same GPU (< 5e-3 relative, as the lavapipe test).
 *
 *   node mixed-precision.mjs [calls.json]
 *
 * Environment: TH_OUT (results JSON; default .bench/mixed-precision.json), TH_TOP (calls per
 * kernel, largest by FLOP per step; default 4), TH_REPS (timing repetitions, default 5).
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { normal } from '../src/conformance/probe';
import { r1Penalty, type ToyDParams, toyDParams } from '../src/conformance/toy-gan';
import { init, setPrecision } from '../src/init';
import { createRng } from '../src/util/rng';
import { relativeMaxError } from '../src/wasm/naive-conv-grads';
import { gemmCapabilitiesOf } from '../src/webgpu/gpu-device';
import { type GemmMode, gemmModeOf, setGemmMode } from '../src/webgpu/precision';
import { webgpuRuntime } from '../src/webgpu/runtime/install';
import { writeJsonAtomic } from './bench-report';
import {
  callFlops,
  callLabel,
  type KernelCall,
  matMulCall,
  medianKernelMs,
  prepareCall,
  sameConv3x3Calls,
  selectCalls,
} from './kernel-calls';

/** lsr-224-like calls (stage 2, batch 4, K 4) for a run without recorded shapes. */
const DEFAULT_CALLS: KernelCall[] = [
  ...sameConv3x3Calls([4, 224, 224, 32], 32),
  ...sameConv3x3Calls([16, 56, 56, 128], 128),
  ...sameConv3x3Calls([4, 14, 14, 512], 512),
  matMulCall(4, 512, 512),
];

const MATRIX_VS_TILED = 1e-4;
const R1_TOLERANCE = 5e-3;

interface ModeResult {
  mode: string;
  medianMs: number;
  gflops: number;
  errVsF32: number;
}

async function measure(call: KernelCall, seed: number, modes: GemmMode[], reps: number) {
  const backend = tf.backend();
  const rng = createRng(seed);
  const prepared = prepareCall(call, (n) => rng.normalArray(n, 0.5));
  const tensors = Object.fromEntries(
    Object.entries(prepared.inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]),
  );
  const run = () => prepared.run(tensors);
  const outputs = new Map<string, Float32Array>();
  const rows: ModeResult[] = [];
  const gflop = callFlops(call) / 1e9;
  for (const mode of [{ path: 'f32', splitWeights: false } as GemmMode, ...modes]) {
    setGemmMode(backend, mode);
    const out = run();
    const values = (await out.data()) as Float32Array;
    out.dispose();
    const name = `${mode.path}${mode.splitWeights ? '+split' : ''}`;
    outputs.set(name, values);
    const ms = await medianKernelMs(run, reps);
    rows.push({
      mode: name,
      medianMs: ms,
      gflops: gflop / (ms / 1e3),
      errVsF32: relativeMaxError(values, outputs.get('f32')!),
    });
  }
  tf.dispose(Object.values(tensors));
  const matrixVsTiled: Record<string, number> = {};
  for (const split of ['', '+split']) {
    const m = outputs.get(`f16-subgroup-matrix${split}`);
    const t = outputs.get(`f16${split}`);
    if (m && t) matrixVsTiled[split || 'all-f16'] = relativeMaxError(m, t);
  }
  return { label: callLabel(call), gflop, rows, matrixVsTiled };
}

/** R1 + R2 parameter gradients of the toy discriminator, under the active precision. */
async function toyPenaltyGradients(): Promise<Float32Array[]> {
  const rng = createRng(41);
  const p = toyDParams(rng);
  const real = normal(rng, [2, 6, 6, 2]) as tf.Tensor4D;
  const fake = normal(rng, [2, 6, 6, 2], 0.5) as tf.Tensor4D;
  const params = [p.w1, p.b1, p.w2, p.w3];
  const grads = tf.grads((...w: tf.Tensor[]) => {
    const d: ToyDParams = {
      w1: w[0] as tf.Tensor4D,
      b1: w[1] as tf.Tensor1D,
      w2: w[2] as tf.Tensor4D,
      w3: w[3] as tf.Tensor2D,
    };
    return tf.add(r1Penalty(d, real), r1Penalty(d, fake)) as tf.Scalar;
  })(params);
  const values = await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array));
  tf.dispose([...grads, ...params, real, fake]);
  return values;
}

const env = process.env;
const callsPath = process.argv[2];
let calls: KernelCall[];
try {
  calls = callsPath ? (JSON.parse(readFileSync(callsPath, 'utf8')) as KernelCall[]) : DEFAULT_CALLS;
} catch (err) {
  console.error(`mixed-precision: cannot read calls file ${callsPath}: ${(err as Error).message}`);
  process.exit(2);
}
const report = await init({
  backend: 'webgpu',
  precision: 'mixed',
  webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
});
console.log(`# precision mixed: ${report.precision.gemm} (${report.precision.reason})`);
const capabilities = gemmCapabilitiesOf(tf.backend());
console.log(`# device capabilities: ${JSON.stringify(capabilities)}`);
const devicePath = gemmModeOf(tf.backend()).path;
const modes: GemmMode[] = [];
if (devicePath !== 'f32') {
  modes.push({ path: 'f16', splitWeights: false }, { path: 'f16', splitWeights: true });
  if (devicePath === 'f16-subgroup-matrix')
    modes.push(
      { path: 'f16-subgroup-matrix', splitWeights: false },
      { path: 'f16-subgroup-matrix', splitWeights: true },
    );
}
const reps = Number(env.TH_REPS ?? 5);
const selected = selectCalls(calls, Number(env.TH_TOP ?? 4));
const results = [];
for (const [i, call] of selected.entries()) {
  const r = await measure(call, 2000 + i, modes, reps);
  results.push(r);
  console.log(
    `${r.label}: ${r.rows.map((m) => `${m.mode} ${m.medianMs.toFixed(3)} ms (${m.gflops.toFixed(0)} GFLOP/s, err ${m.errVsF32.toExponential(1)})`).join('; ')}; matrix vs tiled ${JSON.stringify(r.matrixVsTiled)}`,
  );
}

setPrecision('f32');
const f32 = await toyPenaltyGradients();
setPrecision('mixed');
const mixed = await toyPenaltyGradients();
const r1Errors = mixed.map((v, i) => relativeMaxError(v, f32[i]!));
console.log(
  `R1+R2 toy D parameter gradients, mixed vs f32: ${r1Errors.map((e) => e.toExponential(2)).join(', ')}`,
);

const gpuErrors = webgpuRuntime()?.errors ?? null;
if (gpuErrors?.count) console.error(`GPU errors: ${gpuErrors.count}, first: ${gpuErrors.first}`);
const failures = [
  ...(gpuErrors?.count ? [`${gpuErrors.count} GPU errors, first: ${gpuErrors.first}`] : []),
  ...results.flatMap((r) =>
    Object.entries(r.matrixVsTiled)
      .filter(([, e]) => !(e < MATRIX_VS_TILED))
      .map(([k, e]) => `${r.label} matrix vs tiled (${k}) ${e}`),
  ),
  ...r1Errors.filter((e) => !(e < R1_TOLERANCE)).map((e) => `R1/R2 gradient error ${e}`),
];
writeJsonAtomic(env.TH_OUT ?? '.bench/mixed-precision.json', {
  date: new Date().toISOString(),
  precision: report.precision,
  capabilities,
  gpuErrors,
  calls: results,
  r1r2GradientErrors: r1Errors,
  failures,
});
if (failures.length) {
  console.error(`mixed-precision: ${failures.length} checks failed:\n${failures.join('\n')}`);
  process.exitCode = 1;
}
process.exit(process.exitCode ?? 0);
