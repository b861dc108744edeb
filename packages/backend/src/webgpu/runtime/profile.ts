import * as tf from '@tensorflow/tfjs-core';
import { type ActiveTimer, webgpuInternals } from './internals';

export interface ProgramTime {
  /** The GPU program (tfjs' program class, or @th's kernel name). */
  name: string;
  dispatches: number;
  /** GPU time from timestamp queries, summed. */
  ms: number;
}

export interface CallTime {
  /** The GPU program, as in `ProgramTime`. */
  name: string;
  /** tfjs programs: the output shape and the workgroup grid; empty for @th's raw passes. */
  outputShape: number[];
  workgroups: number[];
  dispatches: number;
  ms: number;
}

export interface DispatchProfile {
  /** GPU time of all dispatches. */
  totalMs: number;
  dispatches: number;
  /** Per program, most GPU time first. */
  programs: ProgramTime[];
  /**
   * Per program and shape (output shape and workgroup grid), most GPU time first: which calls of
   * a program the time goes to (e.g. which convolutions of a frame).
   */
  calls: CallTime[];
}

/**
 * GPU time per program, and per program and shape, of everything `fn` dispatches, from WebGPU
 * timestamp queries (each dispatch gets its own timed pass, so wall time inside is not
 * representative). Synchronous `fn` only; needs the `timestamp-query` feature (else every time
 * reads 0).
 */
export async function profileDispatches(fn: () => void): Promise<DispatchProfile> {
  const be = webgpuInternals();
  if (!be) throw new Error('profileDispatches: the active backend is not webgpu');
  const previous = be.activeTimers;
  const timers: ActiveTimer[] = [];
  // tfjs pushes one timer per program it records: note which program (shape, grid) it was.
  const shapes = new Map<number, { outputShape: number[]; workgroups: number[] }>();
  be.activeTimers = timers;
  const unhook = hookRecordAndSubmit(be, (program, record) => {
    const before = timers.length;
    const result = record();
    if (timers.length === before + 1) {
      const p = program as { outputShape?: number[]; dispatch?: number[] } | undefined;
      shapes.set(before, {
        outputShape: [...(p?.outputShape ?? [])],
        workgroups: [...(p?.dispatch ?? [])],
      });
    }
    return result;
  });
  try {
    fn();
  } finally {
    unhook();
    be.activeTimers = previous ?? null;
  }
  const times = await Promise.all(timers.map((t) => t.query));
  const calls: CallTime[] = timers.map((t, i) => ({
    name: t.name,
    ...(shapes.get(i) ?? { outputShape: [], workgroups: [] }),
    dispatches: 1,
    ms: times[i]!,
  }));
  return profileOf(calls, timers.length);
}

/**
 * One profile of several (e.g. the phases of a training step, profiled one by one): the rows of
 * the same program, and of the same program and shape, added up.
 */
export function mergeProfiles(parts: readonly DispatchProfile[]): DispatchProfile {
  return profileOf(
    parts.flatMap((p) => p.calls),
    parts.reduce((s, p) => s + p.dispatches, 0),
  );
}

/** The profile of `calls` (rows that may repeat a program and shape), grouped and sorted. */
function profileOf(calls: readonly CallTime[], dispatches: number): DispatchProfile {
  const programs = grouped(
    calls.map(({ name, dispatches: n, ms }) => ({ name, dispatches: n, ms })),
    (r) => r.name,
  );
  return {
    totalMs: programs.reduce((s, p) => s + p.ms, 0),
    dispatches,
    programs,
    calls: grouped(calls, (c) => `${c.name} ${c.outputShape.join('x')} ${c.workgroups.join('x')}`),
  };
}

/** Rows with the same key added up (dispatches, GPU time), most GPU time first. */
function grouped<T extends { dispatches: number; ms: number }>(
  rows: readonly T[],
  key: (row: T) => string,
): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) {
    const acc = byKey.get(key(row));
    if (acc) {
      acc.dispatches += row.dispatches;
      acc.ms += row.ms;
    } else byKey.set(key(row), { ...row });
  }
  return [...byKey.values()].sort((x, y) => y.ms - x.ms);
}

/**
 * Wraps the backend's `recordAndSubmit` (one call per tfjs program it dispatches) with `wrap`,
 * which gets the program and the original call; returns the function that undoes it.
 */
function hookRecordAndSubmit(
  be: object,
  wrap: (program: unknown, record: () => unknown) => unknown,
): () => void {
  const internals = be as { recordAndSubmit(...a: unknown[]): unknown };
  const original = internals.recordAndSubmit;
  const own = Object.hasOwn(internals, 'recordAndSubmit');
  internals.recordAndSubmit = function (this: unknown, ...a: unknown[]) {
    return wrap(a[0], () => original.apply(this, a));
  };
  return () => {
    if (own) internals.recordAndSubmit = original;
    else delete (internals as Partial<typeof internals>).recordAndSubmit;
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
  const runKernelFunc = engine.runKernelFunc;
  const ownKernelFunc = Object.hasOwn(engine, 'runKernelFunc');
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
  const unhook = hookRecordAndSubmit(be, (_, record) => {
    dispatches++;
    return record();
  });
  try {
    await fn();
  } finally {
    if (ownKernelFunc) engine.runKernelFunc = runKernelFunc;
    else delete (engine as Partial<typeof engine>).runKernelFunc;
    unhook();
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
