/**
 * GFLOP/s of @th's three wasm convolution kernels (Conv2D, Conv2DBackpropInput,
 * Conv2DBackpropFilter) at the CPU bench's shape and at lsr-64's convolution shapes, on one
 * thread count. Time per call is the process CPU time (all threads), so other jobs on a shared
 * machine inflate it less than wall time; the quarter-quantile over the repetitions is reported.
 * GFLOP/s are effective ones: the direct convolution's FLOP count 2·N·H·W·Cin·Cout·k², also
 * where Winograd F(2×2, 3×3) runs (3×3, ≥ 64 channels; 2.25× fewer multiply-adds), so the two
 * paths compare by time. TH_WASM_WINOGRAD=0 runs the direct kernel everywhere.
 *
 *   npm run build -w @th/backend && node packages/backend/dist/conv-gflops.js [threads]
 */
import * as tf from '@tensorflow/tfjs-core';
import { init } from '../src/init';
import { createRng } from '../src/util/rng';

/** n, h, w, cin, cout, k: 'same' padding, stride 1. */
const SHAPES: [number, number, number, number, number, number][] = [
  [4, 64, 64, 64, 64, 3], // the CPU bench's conv
  // lsr-64's generator convs at batch 1 (inference) and the training step's batch 4·K
  [1, 64, 64, 16, 16, 3],
  [1, 32, 32, 32, 32, 3],
  [1, 16, 16, 64, 64, 3],
  [1, 8, 8, 128, 128, 3],
  [16, 32, 32, 32, 32, 3],
  [16, 16, 16, 64, 64, 3],
  [1, 64, 64, 19, 64, 3], // SPADE's shared conv on the 19-class layout
  [1, 64, 64, 64, 3, 1],
];

function cpuMs(fn: () => void, budgetMs = 600): number {
  for (let i = 0; i < 2; i++) fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < budgetMs && times.length < 50)) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    times.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 4)]!;
}

const threads = Number(process.argv[2] ?? 1);
await init({ backend: 'wasm', wasmThreads: threads });
const rng = createRng(1);
console.log(
  `| shape (N×H×W, Cin→Cout, k×k), ${threads} thread(s), effective GFLOP/s | forward | input gradient | filter gradient |`,
);
console.log('|---|---|---|---|');
for (const [n, h, w, ci, co, k] of SHAPES) {
  const x = tf.tensor4d(rng.normalArray(n * h * w * ci), [n, h, w, ci]);
  const f = tf.tensor4d(rng.normalArray(k * k * ci * co, 0.05), [k, k, ci, co]);
  const dy = tf.tensor4d(rng.normalArray(n * h * w * co), [n, h, w, co]);
  const flop = 2 * n * h * w * ci * co * k * k;
  const run = (make: () => tf.Tensor) => () => {
    const y = make();
    y.dataSync();
    y.dispose();
  };
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: f.shape };
  const ms = [
    cpuMs(run(() => tf.conv2d(x, f, 1, 'same'))),
    cpuMs(run(() => tf.conv2dTranspose(dy, f, x.shape, 1, 'same'))),
    cpuMs(
      run(
        () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as never) as tf.Tensor,
      ),
    ),
  ];
  const cell = (t: number) => `${(flop / t / 1e6).toFixed(1)} GFLOP/s (${t.toFixed(2)} ms)`;
  console.log(`| ${n}×${h}×${w}, ${ci}→${co}, ${k}×${k} | ${ms.map(cell).join(' | ')} |`);
  tf.dispose([x, f, dy]);
}
