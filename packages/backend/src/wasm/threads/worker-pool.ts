import { importOptional, isNode } from '../../util/environment';
import { claimTile, MAX_TILES, SLOT, TILE_MASK, tagOf } from './job-protocol';

/** A kernel as exported by the module: `(tile, args, thread) => void`. */
export type TileKernel = (tile: number, args: number, thread: number) => void;

/**
 * Spin iterations (each an Atomics.load, ~7 ns) before a worker blocks in Atomics.wait for the
 * next job: ~30 µs, about what waking a blocked thread costs, so back-to-back jobs find the
 * workers awake while an idle pool uses no CPU on a loaded machine.
 */
const WORKER_SPIN = 4_000;
/** The calling thread's spins (~4 µs) before it blocks while the last tiles finish elsewhere. */
const CALLER_SPIN = 500;

/** The worker_threads script: instantiate the kernels on the shared memory, run tiles. */
function workerSource(): string {
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, thread, kernels, spin } = workerData;
const claimTile = ${claimTile.toString()};
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = kernels.map((name) => instance.exports[name]);
const c = new Int32Array(control);
let seen = Atomics.load(c, ${SLOT.epoch});
parentPort.postMessage('ready');
for (;;) {
  let e = Atomics.load(c, ${SLOT.epoch});
  for (let i = 0; i < spin && e === seen; i++) e = Atomics.load(c, ${SLOT.epoch});
  if (e === seen) {
    Atomics.add(c, ${SLOT.sleepers}, 1);
    Atomics.wait(c, ${SLOT.epoch}, seen);
    Atomics.sub(c, ${SLOT.sleepers}, 1);
    continue;
  }
  seen = e;
  if (Atomics.load(c, ${SLOT.shutdown}) !== 0) break;
  const fn = fns[c[${SLOT.kernel}]];
  const args = c[${SLOT.args}];
  const tiles = c[${SLOT.tiles}];
  const tag = (e & 0x7ff) << 20;
  for (let t = claimTile(c, tag, tiles); t >= 0; t = claimTile(c, tag, tiles)) {
    try {
      fn(t, args, thread);
    } catch (err) {
      Atomics.store(c, ${SLOT.error}, 1);
    }
    if (Atomics.add(c, ${SLOT.done}, 1) + 1 === tiles) Atomics.notify(c, ${SLOT.done});
  }
}`;
}

/**
 * The calling thread (thread 0) plus `workers` Node worker threads, all running tiles of one job
 * at a time on the tfjs heap (a shared WebAssembly.Memory). The caller takes part in every job,
 * so a pool without workers simply runs the tiles in order.
 */
export class KernelPool {
  private readonly control: Int32Array;
  private epoch = 0;

  private constructor(
    private readonly kernels: TileKernel[],
    control: SharedArrayBuffer | null,
    private readonly workerHandles: { terminate(): unknown }[],
  ) {
    this.control = new Int32Array(control ?? new ArrayBuffer(SLOT.count * 4));
  }

  /** Threads that run tiles: the caller and the workers. */
  get threads(): number {
    return this.workerHandles.length + 1;
  }

  /** A pool on the calling thread only. */
  static single(kernels: TileKernel[]): KernelPool {
    return new KernelPool(kernels, null, []);
  }

  /**
   * Start `workers` worker threads (Node only) that instantiate `module` on `memory` (shared) and
   * export `kernelNames` in the order of `kernels`. Resolves when all are ready; the workers are
   * unref'd so they never keep Node alive.
   */
  static async start(
    kernels: TileKernel[],
    kernelNames: readonly string[],
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    workers: number,
  ): Promise<KernelPool> {
    if (workers < 1 || !isNode || !(memory.buffer instanceof SharedArrayBuffer)) {
      return KernelPool.single(kernels);
    }
    const { Worker } =
      await importOptional<typeof import('node:worker_threads')>('node:worker_threads');
    const control = new SharedArrayBuffer(SLOT.count * 4);
    const source = workerSource();
    const handles = await Promise.all(
      Array.from({ length: workers }, (_, i) => {
        const worker = new Worker(source, {
          eval: true,
          workerData: {
            module,
            memory,
            control,
            thread: i + 1,
            kernels: kernelNames,
            spin: WORKER_SPIN,
          },
        });
        return new Promise<typeof worker>((resolve, reject) => {
          worker.once('message', () => {
            worker.unref();
            resolve(worker);
          });
          worker.once('error', reject);
        });
      }),
    );
    return new KernelPool(kernels, control, handles);
  }

  /**
   * Run tiles 0..tiles−1 of kernel `kernel` with argument block `args`, spread over the pool
   * (or on the calling thread only when `parallel` is false), and return when all are done.
   * Throws after the job if a tile threw anywhere.
   */
  run(kernel: number, tiles: number, args: number, parallel = true): void {
    const fn = this.kernels[kernel]!;
    // A job with more tiles than the claim counter can count runs here alone (tiny tiles anyway).
    if (!parallel || tiles <= 1 || tiles > MAX_TILES || this.workerHandles.length === 0) {
      for (let t = 0; t < tiles; t++) fn(t, args, 0);
      return;
    }
    const c = this.control;
    c[SLOT.kernel] = kernel;
    c[SLOT.args] = args;
    c[SLOT.tiles] = tiles;
    Atomics.store(c, SLOT.done, 0);
    Atomics.store(c, SLOT.error, 0);
    this.epoch = (this.epoch + 1) | 0;
    const tag = tagOf(this.epoch);
    Atomics.store(c, SLOT.next, tag);
    Atomics.store(c, SLOT.epoch, this.epoch);
    if (Atomics.load(c, SLOT.sleepers) > 0) Atomics.notify(c, SLOT.epoch);
    let failure: unknown = null;
    for (let t = claimTile(c, tag, tiles); t >= 0; t = claimTile(c, tag, tiles)) {
      try {
        fn(t, args, 0);
      } catch (err) {
        // Stop handing out tiles; wait below only for those already claimed.
        failure = err;
        Atomics.add(c, SLOT.done, 1);
        const claimed = Atomics.exchange(c, SLOT.next, tag | TILE_MASK) & TILE_MASK;
        this.waitDone(Math.min(claimed, tiles));
        throw failure;
      }
      Atomics.add(c, SLOT.done, 1);
    }
    this.waitDone(tiles);
    Atomics.store(c, SLOT.next, tag | TILE_MASK);
    if (Atomics.load(c, SLOT.error) !== 0) {
      throw new Error('a wasm kernel failed on a worker thread');
    }
  }

  private waitDone(count: number): void {
    const c = this.control;
    let spins = 0;
    for (let done = Atomics.load(c, SLOT.done); done < count; done = Atomics.load(c, SLOT.done)) {
      // Node lets the main thread block; 1 ms timeouts re-check in case a notify was missed.
      if (++spins > CALLER_SPIN) Atomics.wait(c, SLOT.done, done, 1);
    }
  }

  /** Stop the workers (they exit at their next wake-up). */
  dispose(): void {
    Atomics.store(this.control, SLOT.shutdown, 1);
    this.epoch = (this.epoch + 1) | 0;
    Atomics.store(this.control, SLOT.epoch, this.epoch);
    Atomics.notify(this.control, SLOT.epoch);
    for (const w of this.workerHandles) void w.terminate();
  }
}
