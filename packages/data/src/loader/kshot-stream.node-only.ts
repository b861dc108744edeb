/**
 * Node-only: the K-shot training stream (docs/design.md#training-examples) over a prepared
 * dataset, at any scale.
 *
 * - Order: {@link epochPlan}: seeded shard order per epoch, this rank's disjoint part, a bounded
 *   shuffle buffer. Each example's frames come from {@link exampleFrames}.
 * - Reading: utterances are read in the plan's read order, shard by shard, offset by offset
 *   (sequential I/O); an utterance read before its turn waits in the buffer, which never holds
 *   more than `shuffleBuffer` utterances, and of each only the K + 1 frames its example uses.
 * - Decoding: on a pool of worker threads (`workers`), `prefetch` examples ahead of the consumer,
 *   handed out in plan order.
 * - Memory: the index (≈19 bytes per utterance), one epoch's order (8 bytes per utterance of this
 *   rank), the shuffle buffer and the prefetched examples; nothing grows with the examples served.
 * - Resume: `state()` is {epoch, position} of the next example; opening with that state
 *   continues exactly: the plan is recomputed, the utterances emitted before `position` are
 *   skipped without reading them, and the buffer refills with exactly the utterances it held.
 */
import { availableParallelism } from 'node:os';
import type { UtteranceMeta } from '../dataset/format';
import { parseTar } from '../dataset/tar';
import { type DatasetIndex, readDatasetIndex } from './dataset-index.node-only';
import type { ExampleJob } from './decode-example.node-only';
import { createDecodePool, type DecodePool } from './decode-pool.node-only';
import { checkRank, type EpochPlan, epochPlan, exampleFrames } from './epoch-plan';
import type { KShotExample } from './kshot-example';
import { createShardReader, type ShardReader } from './shard-reader.node-only';

export interface KShotStreamOptions {
  dataset: string;
  /** source frames per example (LSR trains with 4) */
  k: number;
  seed?: number;
  /** this process's rank and the number of ranks (default 0 of 1) */
  rank?: number;
  worldSize?: number;
  /** utterances in the shuffle buffer (default 256; 1 = read order) */
  shuffleBuffer?: number;
  /** decode worker threads (default min(2, cores − 1), at least 1; 0 = decode in this thread) */
  workers?: number;
  /** examples decoded ahead of the consumer (default 8) */
  prefetch?: number;
  /** epochs to serve (default: no end) */
  epochs?: number;
  /** keep only these splits / drop these splits ('' = no split) */
  splits?: readonly string[];
  excludeSplits?: readonly string[];
  /** the resolution the consumer needs: a dataset of another resolution is refused */
  resolution?: number;
  /** where to continue (a `state()` of an earlier stream with the same options) */
  state?: KShotStreamState;
}

/** Position of the next example: its epoch and its index in this rank's part of the epoch. */
export interface KShotStreamState {
  epoch: number;
  position: number;
}

/** One epoch's reading: its plan, how far the reader got, and the utterances read ahead. */
interface EpochReading {
  epoch: number;
  plan: EpochPlan;
  /** next read-order position to read */
  cursor: number;
  /** positions emitted before a resume point: skipped without reading */
  skip: Uint8Array | null;
  buffered: Map<number, ExampleJob>;
}

interface Scheduled {
  epoch: number;
  position: number;
  example: Promise<KShotExample>;
}

/** Default decode workers: one core stays with the thread that drives training. */
export function defaultLoaderWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

export class KShotStream implements AsyncIterable<KShotExample> {
  private readonly seed: number;
  private readonly rank: number;
  private readonly worldSize: number;
  private readonly shuffleBuffer: number;
  private readonly prefetch: number;
  private readonly epochs: number;
  private readonly shardSizes: Uint32Array;
  /** the consumer's position */
  private consumed: KShotStreamState;
  /** the epoch being scheduled, and the next emission index in it */
  private current: EpochReading;
  private emit: number;
  private readonly queue: Scheduled[] = [];
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** largest number of utterances the buffer held (tests check it stays within the bound) */
  maxBuffered = 0;

  private constructor(
    readonly index: DatasetIndex,
    readonly k: number,
    options: KShotStreamOptions,
    private readonly reader: ShardReader,
    private readonly pool: DecodePool,
  ) {
    this.seed = (options.seed ?? 0) >>> 0;
    this.rank = options.rank ?? 0;
    this.worldSize = options.worldSize ?? 1;
    this.shuffleBuffer = options.shuffleBuffer ?? 256;
    this.prefetch = options.prefetch ?? 8;
    this.epochs = options.epochs ?? Number.POSITIVE_INFINITY;
    this.shardSizes = new Uint32Array(index.shards.length);
    for (let i = 0; i < index.count; i++) this.shardSizes[index.shard[i]!]!++;
    const state = options.state ?? { epoch: 0, position: 0 };
    if (!Number.isInteger(state.epoch) || state.epoch < 0)
      throw new Error(`loader state: bad epoch ${JSON.stringify(state.epoch)}`);
    this.consumed = { ...state };
    this.current = this.reading(state.epoch);
    const { emission } = this.current.plan;
    if (
      !Number.isInteger(state.position) ||
      state.position < 0 ||
      state.position >= emission.length
    )
      throw new Error(
        `loader state: position ${state.position} is outside epoch ${state.epoch} (${emission.length} examples on this rank)`,
      );
    this.emit = state.position;
    if (state.position > 0) {
      const skip = new Uint8Array(emission.length);
      for (let e = 0; e < state.position; e++) skip[emission[e]!] = 1;
      this.current.skip = skip;
    }
  }

  static async open(options: KShotStreamOptions): Promise<KShotStream> {
    const { k } = options;
    if (!Number.isInteger(k) || k < 1) throw new Error(`K must be a positive integer, got ${k}`);
    checkRank(options.rank ?? 0, options.worldSize ?? 1);
    for (const [name, v, min] of [
      ['shuffle buffer', options.shuffleBuffer, 1],
      ['prefetch', options.prefetch, 1],
      ['epochs', options.epochs, 1],
    ] as const)
      if (v !== undefined && !(v >= min && (Number.isInteger(v) || v === Number.POSITIVE_INFINITY)))
        throw new Error(`${name} must be an integer >= ${min}, got ${v}`);
    const index = await readDatasetIndex(options.dataset, {
      minFrames: k + 1,
      ...(options.splits ? { splits: options.splits } : {}),
      ...(options.excludeSplits ? { excludeSplits: options.excludeSplits } : {}),
    });
    if (options.resolution !== undefined && options.resolution !== index.resolution)
      throw new Error(
        `${options.dataset}: prepared at ${index.resolution}x${index.resolution}, the model needs ${options.resolution}x${options.resolution}; prepare it with th-data prepare --resolution ${options.resolution}`,
      );
    if (index.count === 0)
      throw new Error(
        `${options.dataset}: no utterance has the ${k + 1} frames a K=${k} example needs${options.splits || options.excludeSplits ? ' (in the splits used)' : ''}`,
      );
    const pool = createDecodePool(options.workers ?? defaultLoaderWorkers());
    return new KShotStream(index, k, options, createShardReader(options.dataset), pool);
  }

  /** Examples this rank serves per epoch. */
  get epochLength(): number {
    return this.current.plan.emission.length;
  }

  /** Where the next `next()` continues from (store it in checkpoints). */
  state(): KShotStreamState {
    return { ...this.consumed };
  }

  /** The next example, or null after the last epoch. */
  async next(): Promise<KShotExample | null> {
    if (this.closed) throw new Error('KShotStream: closed');
    this.fill();
    const head = this.queue.shift();
    if (!head) return null;
    const example = await head.example;
    this.consumed =
      head.position + 1 >= this.epochLength
        ? { epoch: head.epoch + 1, position: 0 }
        : { epoch: head.epoch, position: head.position + 1 };
    this.fill();
    return example;
  }

  /** The next `size` examples (fewer only at the end of the last epoch; empty after it). */
  async nextBatch(size: number): Promise<KShotExample[]> {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`batch size must be a positive integer, got ${size}`);
    const out: KShotExample[] = [];
    while (out.length < size) {
      const e = await this.next();
      if (!e) break;
      out.push(e);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.queue) s.example.catch(() => {});
    this.queue.length = 0;
    await this.chain.catch(() => {});
    await this.pool.close();
    await this.reader.close();
    this.current.buffered.clear();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<KShotExample> {
    try {
      for (let e = await this.next(); e; e = await this.next()) yield e;
    } finally {
      await this.close();
    }
  }

  private reading(epoch: number): EpochReading {
    const plan = epochPlan({
      shardSizes: this.shardSizes,
      seed: this.seed,
      epoch,
      rank: this.rank,
      worldSize: this.worldSize,
      shuffleBuffer: this.shuffleBuffer,
    });
    return { epoch, plan, cursor: 0, skip: null, buffered: new Map() };
  }

  /** Schedule examples until `prefetch` are in flight. */
  private fill(): void {
    while (this.queue.length < this.prefetch && this.current.epoch < this.epochs) {
      if (this.emit >= this.current.plan.emission.length) {
        if (this.current.epoch + 1 >= this.epochs) break;
        this.current = this.reading(this.current.epoch + 1);
        this.emit = 0;
        continue;
      }
      const reading = this.current;
      const position = this.emit++;
      // Reads are chained: the reader advances through the read order one utterance at a time.
      const job = this.chain.then(() => this.take(reading, reading.plan.emission[position]!));
      this.chain = job.then(
        () => {},
        () => {},
      );
      const example = job.then((j) => this.pool.decode(j));
      example.catch(() => {}); // rejections surface where the consumer awaits
      this.queue.push({ epoch: reading.epoch, position, example });
    }
  }

  /** The job of read-order position `pos`: from the buffer, or by reading forward to it. */
  private async take(reading: EpochReading, pos: number): Promise<ExampleJob> {
    const held = reading.buffered.get(pos);
    if (held) {
      reading.buffered.delete(pos);
      return held;
    }
    while (reading.cursor <= pos) {
      const at = reading.cursor++;
      if (reading.skip?.[at]) continue;
      const job = await this.read(reading.plan, reading.epoch, at);
      if (at === pos) return job;
      reading.buffered.set(at, job);
      this.maxBuffered = Math.max(this.maxBuffered, reading.buffered.size);
    }
    throw new Error(`loader: read position ${pos} was passed without being buffered (internal)`);
  }

  /** Read one utterance and keep the members of its example's frames. */
  private async read(plan: EpochPlan, epoch: number, at: number): Promise<ExampleJob> {
    const { index } = this;
    const u = plan.readOrder[at]!;
    const shard = index.shards[index.shard[u]!]!;
    const bytes = await this.reader.read(shard, index.offset[u]!, index.length[u]!);
    const members = parseTar(bytes, `${shard}@${index.offset[u]}`);
    const metaMember = members[0];
    if (!metaMember?.name.endsWith('/meta.json'))
      throw new Error(
        `${shard}: utterance at byte ${index.offset[u]} does not start with meta.json`,
      );
    const meta = JSON.parse(new TextDecoder().decode(metaMember.data)) as UtteranceMeta;
    if (meta.frames.length !== index.frames[u])
      throw new Error(
        `${shard}: ${meta.key} has ${meta.frames.length} frames, the manifest says ${index.frames[u]}`,
      );
    const byName = new Map(members.map((m) => [m.name, m.data]));
    const chosen = exampleFrames(this.seed, epoch, u, meta.frames.length, this.k).map(
      (i) => meta.frames[i]!,
    );
    const picked: Uint8Array[] = [];
    for (const id of chosen)
      for (const suffix of ['rgb.png', 'contour.png', 'seg.png']) {
        const name = `${meta.key}/${id}.${suffix}`;
        const data = byName.get(name);
        if (!data) throw new Error(`${shard}: member ${name} missing`);
        picked.push(data.slice()); // own buffer: the utterance's bytes can go, and it transfers
      }
    return {
      key: meta.key,
      identity: meta.identity,
      k: this.k,
      size: index.resolution,
      frames: chosen,
      members: picked,
    };
  }
}

/** Open a K-shot stream (see {@link KShotStream}). */
export function openKShotStream(options: KShotStreamOptions): Promise<KShotStream> {
  return KShotStream.open(options);
}
