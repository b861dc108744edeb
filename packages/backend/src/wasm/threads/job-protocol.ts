/**
 * How the calling thread and the pool workers share one job at a time through an Int32Array on
 * a SharedArrayBuffer (`control`). The same logic runs in the workers (see `workerSource`, which
 * embeds `claimTile`'s source) and on the calling thread.
 *
 * A job is published by writing KERNEL/ARGS/TILES, resetting DONE, setting NEXT to the job's tag
 * and tile 0, then bumping EPOCH (all with Atomics, so these writes are seen in order). Tiles are
 * claimed with a compare-and-swap on NEXT, whose high bits carry the job's tag (its epoch modulo
 * 2048): a worker that wakes late and still holds an older epoch's parameters can never claim a
 * tile of the newer job. When a job is complete the caller closes it (NEXT = tag | TILE_MASK)
 * before writing the next job's parameters.
 */
export const SLOT = {
  epoch: 0,
  next: 1,
  done: 2,
  kernel: 3,
  args: 4,
  tiles: 5,
  /** Workers currently blocked in Atomics.wait on EPOCH (so the caller knows to notify). */
  sleepers: 6,
  /** Set when a kernel threw on a worker; the caller throws after the job. */
  error: 7,
  /** Non-zero: workers exit. */
  shutdown: 8,
  count: 9,
} as const;

export const TILE_BITS = 20;
export const TILE_MASK = (1 << TILE_BITS) - 1;
export const MAX_TILES = TILE_MASK;
const TAG_MASK = 0x7ff << TILE_BITS;

/** The tag of epoch `epoch` in NEXT's high bits. */
export function tagOf(epoch: number): number {
  return (epoch & 0x7ff) << TILE_BITS;
}

/** Claim the next tile of the job tagged `tag` with `tiles` tiles: its index, or -1 if none. */
export function claimTile(control: Int32Array, tag: number, tiles: number): number {
  for (;;) {
    const current = Atomics.load(control, 1);
    if ((current & 0x7ff00000) !== tag) return -1;
    const tile = current & 0xfffff;
    if (tile >= tiles) return -1;
    if (Atomics.compareExchange(control, 1, current, current + 1) === current) return tile;
  }
}

// claimTile hard-codes NEXT = 1 and the masks so its source can run inside a worker as is.
if (SLOT.next !== 1 || TAG_MASK !== 0x7ff00000 || TILE_MASK !== 0xfffff) {
  throw new Error('job-protocol: claimTile constants are out of date');
}
