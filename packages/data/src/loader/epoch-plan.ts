/**
 * The order of one epoch of K-shot training examples, as a pure function of the dataset's
 * layout and a few integers, so every rank of a multi-GPU job and every resumed run computes the
 * same plan without talking to anyone:
 *
 * 1. Shards are visited in a seeded random order (a new one each epoch); inside a shard,
 *    utterances are read in the order they lie on disk. This is the epoch's read order.
 * 2. Rank r of W takes the contiguous part [r·n, (r + 1)·n) of the read order, n = ⌊N/W⌋: the
 *    parts are disjoint, equally long (the N mod W utterances at the end, different ones each
 *    epoch, sit the epoch out), and each rank reads runs of whole shards.
 * 3. A bounded shuffle buffer of S utterances mixes the rank's read order: fill S, then each
 *    newly read utterance replaces a random one, which is emitted; at the end the remaining S
 *    are emitted in random order. Emission e (< n − S) happens while reading position S + e, so
 *    the reader never holds more than S utterances.
 *
 * Which frames of an utterance an example uses is drawn from its own stream, seeded by the run
 * seed, the epoch and the utterance, independent of rank, buffer size and order.
 */
import { deriveSeed, mulberry32, shuffleInPlace } from './seeded-random';

export interface EpochPlanOptions {
  /** utterances per shard, in the dataset's shard order */
  shardSizes: ArrayLike<number>;
  seed: number;
  epoch: number;
  rank: number;
  worldSize: number;
  /** utterances held by the shuffle buffer (≥ 1; 1 = read order) */
  shuffleBuffer: number;
}

export interface EpochPlan {
  /** utterance indices (dataset order) in this rank's read order */
  readOrder: Uint32Array;
  /** positions in `readOrder`, in the order the examples are emitted */
  emission: Uint32Array;
}

/** Validate rank/world size (a clear error names the flag). */
export function checkRank(rank: number, worldSize: number): void {
  if (!Number.isInteger(worldSize) || worldSize < 1)
    throw new Error(`world size must be a positive integer, got ${worldSize}`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize)
    throw new Error(`rank must be an integer in 0..${worldSize - 1}, got ${rank}`);
}

const EPOCH_STREAM = 0x5eed_e90c;
const FRAME_STREAM = 0x0f4a_11e5;

/** Utterances this rank gets per epoch: ⌊N/W⌋. */
export function examplesPerEpoch(total: number, worldSize: number): number {
  return Math.floor(total / worldSize);
}

export function epochPlan(options: EpochPlanOptions): EpochPlan {
  const { shardSizes, seed, epoch, rank, worldSize, shuffleBuffer } = options;
  checkRank(rank, worldSize);
  if (!Number.isInteger(shuffleBuffer) || shuffleBuffer < 1)
    throw new Error(`shuffle buffer must be a positive integer, got ${shuffleBuffer}`);
  const random = mulberry32(deriveSeed(deriveSeed(seed, epoch), EPOCH_STREAM));
  const starts: number[] = [];
  let total = 0;
  for (let s = 0; s < shardSizes.length; s++) {
    starts.push(total);
    total += shardSizes[s]!;
  }
  const n = examplesPerEpoch(total, worldSize);
  if (n === 0)
    throw new Error(`${total} usable utterances cannot be split over ${worldSize} ranks`);
  const shardOrder = shuffleInPlace(
    Array.from({ length: shardSizes.length }, (_, s) => s),
    random,
  );
  const readOrder = new Uint32Array(n);
  const from = rank * n;
  let at = 0;
  let seen = 0;
  for (const s of shardOrder) {
    const size = shardSizes[s]!;
    if (seen + size <= from) {
      seen += size;
      continue;
    }
    for (let i = Math.max(0, from - seen); i < size && at < n; i++)
      readOrder[at++] = starts[s]! + i;
    seen += size;
    if (at === n) break;
  }
  return { readOrder, emission: shuffleBufferOrder(n, shuffleBuffer, random) };
}

/** The emission order of positions 0..n−1 through a shuffle buffer of `size` (see above). */
export function shuffleBufferOrder(n: number, size: number, random: () => number): Uint32Array {
  const out = new Uint32Array(n);
  const buffer: number[] = [];
  let e = 0;
  for (let p = 0; p < n; p++) {
    if (buffer.length < size) {
      buffer.push(p);
      continue;
    }
    const j = Math.floor(random() * size);
    out[e++] = buffer[j]!;
    buffer[j] = p;
  }
  for (const p of shuffleInPlace(buffer, random)) out[e++] = p;
  return out;
}

/**
 * The frames of one example: a seeded permutation of the utterance's frame indices, the first K
 * are the sources and the last is the target (docs/design.md#training-examples), so they never
 * coincide.
 */
export function exampleFrames(
  seed: number,
  epoch: number,
  utterance: number,
  frameCount: number,
  k: number,
): number[] {
  const random = mulberry32(
    deriveSeed(deriveSeed(deriveSeed(seed, epoch), utterance), FRAME_STREAM),
  );
  const order = shuffleInPlace(
    Array.from({ length: frameCount }, (_, i) => i),
    random,
  );
  return [...order.slice(0, k), order[order.length - 1]!];
}
