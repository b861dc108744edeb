/**
 * Node-only: the loader's view of a dataset, built by streaming `manifest.jsonl` line by line:
 * per usable utterance only its shard, byte range, frame count and split, in typed arrays
 * (≈19 bytes per utterance: VoxCeleb2's 1.1 M utterances take ≈21 MB). Keys, identities and frame
 * ids are not kept; the loader reads them from the utterance's own `meta.json` when it reads the
 * utterance. Utterances are ordered by shard, then by offset, the order they lie on disk.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type DatasetSummary, FORMAT_VERSION, type ManifestEntry } from '../dataset/format';

export interface DatasetIndex {
  dir: string;
  /** side of every stored image */
  resolution: number;
  /** shard names; `shard[i]` indexes this list */
  shards: string[];
  count: number;
  shard: Uint32Array;
  offset: Float64Array;
  length: Uint32Array;
  frames: Uint16Array;
}

/** Which utterances to keep: at least `minFrames` frames, split filters. */
export interface IndexFilter {
  minFrames?: number;
  /** keep only these splits ('' = no split) */
  splits?: readonly string[];
  /** drop these splits (e.g. ['test'], the hold-out frames) */
  excludeSplits?: readonly string[];
}

/** dataset.json, checked to be a dataset of the current format. */
export async function readDatasetSummary(dir: string): Promise<DatasetSummary> {
  const path = join(dir, 'dataset.json');
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(`${path}: missing; is ${dir} a dataset made by th-data prepare?`);
  });
  let summary: DatasetSummary;
  try {
    summary = JSON.parse(text) as DatasetSummary;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (summary.format !== FORMAT_VERSION || !Number.isInteger(summary.resolution))
    throw new Error(
      `${path}: dataset format ${summary.format}, this loader reads format ${FORMAT_VERSION}; prepare it again with this th-data`,
    );
  return summary;
}

class Grow<T extends Uint32Array | Float64Array | Uint16Array> {
  data: T;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  set(i: number, v: number) {
    if (i >= this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = v;
  }
}

/**
 * The manifest's entries one at a time, read line by line (memory does not grow with the
 * manifest); a line that is not JSON is an error naming the file and the line.
 */
export async function* manifestEntries(dir: string): AsyncGenerator<ManifestEntry> {
  const path = join(dir, 'manifest.jsonl');
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (!text.trim()) continue;
      let entry: ManifestEntry;
      try {
        entry = JSON.parse(text) as ManifestEntry;
      } catch {
        throw new Error(`${path}: line ${line} is not valid JSON`);
      }
      yield entry;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`${path}: no manifest; is ${dir} a dataset made by th-data prepare?`);
    throw e;
  }
}

export async function readDatasetIndex(
  dir: string,
  filter: IndexFilter = {},
): Promise<DatasetIndex> {
  const summary = await readDatasetSummary(dir);
  const shardIds = new Map<string, number>();
  const shard = new Grow((n) => new Uint32Array(n));
  const offset = new Grow((n) => new Float64Array(n));
  const length = new Grow((n) => new Uint32Array(n));
  const frames = new Grow((n) => new Uint16Array(n));
  const keep = filter.splits && new Set(filter.splits);
  const drop = new Set(filter.excludeSplits ?? []);
  const minFrames = filter.minFrames ?? 1;
  let count = 0;
  for await (const e of manifestEntries(dir)) {
    if (e.frames.length < minFrames || drop.has(e.split) || (keep && !keep.has(e.split))) continue;
    let id = shardIds.get(e.shard);
    if (id === undefined) {
      id = shardIds.size;
      shardIds.set(e.shard, id);
    }
    shard.set(count, id);
    offset.set(count, e.offset);
    length.set(count, e.length);
    frames.set(count, e.frames.length);
    count++;
  }
  // Shard names sorted, utterances by (shard, offset): the order they lie on disk.
  const names = [...shardIds.keys()].sort();
  const rank = new Uint32Array(names.length);
  for (const [i, n] of names.entries()) rank[shardIds.get(n)!] = i;
  const order = Array.from({ length: count }, (_, i) => i).sort(
    (a, b) => rank[shard.data[a]!]! - rank[shard.data[b]!]! || offset.data[a]! - offset.data[b]!,
  );
  const pick = <T extends Uint32Array | Float64Array | Uint16Array>(
    src: T,
    make: (n: number) => T,
    map?: (v: number) => number,
  ) => {
    const out = make(count);
    for (let i = 0; i < count; i++) out[i] = map ? map(src[order[i]!]!) : src[order[i]!]!;
    return out;
  };
  return {
    dir,
    resolution: summary.resolution,
    shards: names,
    count,
    shard: pick(
      shard.data,
      (n) => new Uint32Array(n),
      (v) => rank[v]!,
    ),
    offset: pick(offset.data, (n) => new Float64Array(n)),
    length: pick(length.data, (n) => new Uint32Array(n)),
    frames: pick(frames.data, (n) => new Uint16Array(n)),
  };
}
