import * as tf from '@tensorflow/tfjs-core';
import { type ActiveTimer, webgpuInternals } from './internals';

export interface ProgramTime {
  /** The GPU program (tfjs' program class, or @th's kernel name). */
  name: string;
  dispatches: number;
  /** GPU time from timestamp queries, summed. */
  ms: number;
}

export interface DispatchProfile {
  /** GPU time of all dispatches. */
  totalMs: number;
  dispatches: number;
  /** Per program, most GPU time first. */
  programs: ProgramTime[];
}

/**
 * GPU time per program of everything `fn` dispatches, from WebGPU timestamp queries (each
 * dispatch gets its own timed pass, so wall time inside is not representative). Synchronous
 * `fn` only; needs the `timestamp-query` feature (else every time reads 0).
 */
export async function profileDispatches(fn: () => void): Promise<DispatchProfile> {
  const be = webgpuInternals();
  if (!be) throw new Error('profileDispatches: the active backend is not webgpu');
  const previous = be.activeTimers;
  const timers: ActiveTimer[] = [];
  be.activeTimers = timers;
  try {
    fn();
  } finally {
    be.activeTimers = previous ?? null;
  }
  const times = await Promise.all(timers.map((t) => t.query));
  const byName = new Map<string, ProgramTime>();
  timers.forEach((t, i) => {
    const row = byName.get(t.name) ?? { name: t.name, dispatches: 0, ms: 0 };
    row.dispatches++;
    row.ms += times[i]!;
    byName.set(t.name, row);
  });
  const programs = [...byName.values()].sort((a, b) => b.ms - a.ms);
  return {
    totalMs: programs.reduce((s, p) => s + p.ms, 0),
    dispatches: timers.length,
    programs,
  };
}

export interface KernelCounts {
  /** tfjs kernels run (ops, gradient ops, and bookkeeping such as Reshape/Identity/Cast). */
  kernels: number;
  /** Of those, kernels that dispatched nothing to the GPU (bookkeeping or CPU-forwarded). */
  kernelsWithoutDispatch: number;
  /** Dispatches of tfjs programs (@th's raw passes, e.g. the multi-tensor Adam, not counted). */
  dispatches: number;
  /** Most frequent kernels that dispatched nothing. */
  idleKernels: Array<{ name: string; count: number }>;
}

/**
 * Count tfjs kernels and GPU dispatches of `fn` (async allowed) by hooking the engine and the
 * backend's dispatch recorder for its duration. Cheap enough to run inside timed steps.
 */
export async function countKernels(fn: () => unknown | Promise<unknown>): Promise<KernelCounts> {
  const be = webgpuInternals();
  if (!be) throw new Error('countKernels: the active backend is not webgpu');
  const engine = tf.engine() as unknown as { runKernelFunc(p: { kernelName?: string }): unknown };
  const internals = be as unknown as { recordAndSubmit(...a: unknown[]): unknown };
  const runKernelFunc = engine.runKernelFunc;
  const recordAndSubmit = internals.recordAndSubmit;
  const ownKernelFunc = Object.hasOwn(engine, 'runKernelFunc');
  const ownRecord = Object.hasOwn(internals, 'recordAndSubmit');
  let kernels = 0;
  let dispatches = 0;
  let idle = 0;
  const idleNames = new Map<string, number>();
  let depth = 0;
  engine.runKernelFunc = function (this: unknown, p: { kernelName?: string }) {
    const before = dispatches;
    depth++;
    try {
      return runKernelFunc.call(this, p);
    } finally {
      depth--;
      if (depth === 0) {
        kernels++;
        if (dispatches === before) {
          idle++;
          const name = p.kernelName ?? '(custom gradient op)';
          idleNames.set(name, (idleNames.get(name) ?? 0) + 1);
        }
      }
    }
  };
  internals.recordAndSubmit = function (this: unknown, ...a: unknown[]) {
    dispatches++;
    return recordAndSubmit.apply(this, a);
  };
  try {
    await fn();
  } finally {
    if (ownKernelFunc) engine.runKernelFunc = runKernelFunc;
    else delete (engine as Partial<typeof engine>).runKernelFunc;
    if (ownRecord) internals.recordAndSubmit = recordAndSubmit;
    else delete (internals as Partial<typeof internals>).recordAndSubmit;
  }
  return {
    kernels,
    kernelsWithoutDispatch: idle,
    dispatches,
    idleKernels: [...idleNames]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count)
      .slice(0, 8),
  };
}
