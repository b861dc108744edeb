import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '../src/backends/types';
import { init } from '../src/init';
import { createRng } from '../src/util/rng';

/** One benchmarked convolution: x [n, size, size, cin] ⊛ 3×3 'same' filter → cout channels. */
export interface ConvSize {
  n: number;
  size: number;
  cin: number;
  cout: number;
}

/** What is timed for each size: the forward conv, each gradient alone, and a training step. */
export const MEASURES = ['forward', 'inputGrad', 'filterGrad', 'trainStep'] as const;
export type Measure = (typeof MEASURES)[number];

/** FLOP of one measure: a forward 3×3 conv does 2·N·H·W·Cin·Cout·9; each gradient as much. */
export function flopOf(s: ConvSize, m: Measure): number {
  const forward = 2 * s.n * s.size * s.size * s.cin * s.cout * 9;
  return m === 'trainStep' ? 3 * forward : forward;
}

export interface Timing {
  measure: Measure;
  /** Median milliseconds per call, including reading the result back. */
  ms: number;
  reps: number;
}

/** Messages a measuring worker posts: one per finished measure, then `done` (or `error`). */
export type WorkerMessage =
  | { kind: 'ready'; backend: string }
  | { kind: 'timing'; timing: Timing }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

/**
 * Time fn: one warm-up call, then repeat until `maxReps` calls or `budgetMs` spent (at least
 * one), and return the median.
 */
async function timeIt(fn: () => Promise<void>, maxReps: number, budgetMs: number) {
  await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length === 0 || performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, reps: times.length };
}

/**
 * Bring `backend` up and time every measure of `s`, posting each timing as it completes so the
 * parent can stop a backend whose single call exceeds the cap (tfjs-cpu's filter gradient).
 */
export async function measureConv(
  backend: BackendName,
  s: ConvSize,
  post: (m: WorkerMessage) => void,
  options: { maxReps: number; budgetMs: number },
): Promise<void> {
  const report = await init({ backend });
  post({ kind: 'ready', backend: report.backend });
  const rng = createRng(1);
  const x = tf.tensor4d(rng.normalArray(s.n * s.size * s.size * s.cin), [
    s.n,
    s.size,
    s.size,
    s.cin,
  ]);
  const w = tf.tensor4d(rng.normalArray(9 * s.cin * s.cout, 0.05), [3, 3, s.cin, s.cout]);
  const dy = tf.tensor4d(rng.normalArray(s.n * s.size * s.size * s.cout), [
    s.n,
    s.size,
    s.size,
    s.cout,
  ]);
  const loss = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), dy));
  const read = async (...ts: tf.Tensor[]) => {
    for (const t of ts) await t.data();
    tf.dispose(ts);
  };
  const calls: Record<Measure, () => Promise<void>> = {
    forward: () => read(tf.conv2d(x, w, 1, 'same')),
    inputGrad: () => read(tf.conv2dTranspose(dy, w, x.shape, 1, 'same')),
    filterGrad: () =>
      read(
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
          strides: 1,
          pad: 'same',
          dataFormat: 'NHWC',
          filterShape: w.shape,
        } as never) as tf.Tensor,
      ),
    trainStep: () => read(...tf.grads(loss)([x, w])),
  };
  for (const measure of MEASURES) {
    const { ms, reps } = await timeIt(calls[measure], options.maxReps, options.budgetMs);
    post({ kind: 'timing', timing: { measure, ms, reps } });
  }
  tf.dispose([x, w, dy]);
}
