/**
 * The gradient conformance suite as a plain program (no test runner), for machines where only a
 * Node binary exists, e.g. the WebGPU run on a GPU host:
 *   TH_BACKENDS=webgpu node conformance.mjs
 * Prints the same table as `src/conformance/ops.test.ts` plus the toy-discriminator R1 check, and
 * exits non-zero when an op misses the tolerance.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../src/backends/types';
import { nonlinearCases } from '../src/conformance/cases-nonlinear';
import { spatialCases } from '../src/conformance/cases-spatial';
import { tensorCases } from '../src/conformance/cases-tensor';
import { normal } from '../src/conformance/probe';
import { type ConformanceResults, formatTable } from '../src/conformance/report';
import { r1Penalty, type ToyDParams, toyDParams } from '../src/conformance/toy-gan';
import { init } from '../src/init';
import { checkGradient, checkNestedGradient } from '../src/testing/gradient-check';
import { createRng } from '../src/util/rng';

const TOL = 1e-3;
const backends = (process.env.TH_BACKENDS ?? 'cpu,wasm').split(',') as BackendName[];
const results: ConformanceResults = new Map();
const failures: string[] = [];

for (const backend of backends) {
  // Device bundles carry the tfjs webgpu backend inside (the GPU machine has no node_modules).
  const report = await init({
    backend,
    ...(backend === 'webgpu'
      ? { webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu') }
      : {}),
  });
  console.log(
    `# ${backend}: ${report.reason}; added kernels: ${report.addedKernels.join(', ') || 'none'}`,
  );
  const rng = createRng(2021);
  for (const c of [...tensorCases(rng), ...nonlinearCases(rng), ...spatialCases(rng)]) {
    if (c.backends && !c.backends.includes(backend)) {
      tf.dispose(c.inputs);
      continue;
    }
    let first = Number.NaN;
    let second = Number.NaN;
    try {
      first = (await checkGradient(c.f, c.inputs)).relError;
      second = (await checkNestedGradient(c.f, c.inputs)).relError;
    } catch (err) {
      failures.push(`${backend} ${c.name}: threw ${(err as Error).message.split('\n')[0]}`);
    }
    const row = c.knownWrong ? `${c.name} (known tfjs bug, ${c.knownWrong} order)` : c.name;
    if (!results.has(row)) results.set(row, new Map());
    results.get(row)?.set(backend, { first, second });
    if (!c.knownWrong && !(first < TOL && second < TOL))
      failures.push(`${backend} ${c.name}: ${first} / ${second}`);
    tf.dispose(c.inputs);
  }
  const r = createRng(7);
  const p = toyDParams(r);
  const real = normal(r, [2, 6, 6, 2]) as tf.Tensor4D;
  const params = [p.w1, p.b1, p.w2, p.w3];
  const asParams = (ts: tf.Tensor[]) => {
    const [w1, b1, w2, w3] = ts as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor2D];
    return { w1, b1, w2, w3 } as ToyDParams;
  };
  const r1 = await checkGradient((...ts) => r1Penalty(asParams(ts), real), params, {
    directions: 4,
    step: 3e-3,
  });
  console.log(
    `# ${backend}: toy discriminator R1, d/dparams vs finite differences: rel. error ${r1.relError.toExponential(2)}`,
  );
  if (!(r1.relError < TOL)) failures.push(`${backend} toy R1: ${r1.relError}`);
}
console.log(formatTable(results, backends));
if (failures.length) {
  console.log(`FAILED:\n${failures.join('\n')}`);
  process.exitCode = 1;
} else console.log('all ops within tolerance');

// The WebGPU device keeps Node alive; leave explicitly once the report is printed.
process.exit(process.exitCode ?? 0);
