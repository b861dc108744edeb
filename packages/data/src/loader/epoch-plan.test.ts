import { describe, expect, it } from 'vitest';
import { epochPlan, exampleFrames, shuffleBufferOrder } from './epoch-plan';
import { mulberry32 } from './seeded-random';

const shards = [5, 7, 3, 9, 6]; // 30 utterances in 5 shards
const plan = (over: Partial<Parameters<typeof epochPlan>[0]> = {}) =>
  epochPlan({
    shardSizes: shards,
    seed: 4,
    epoch: 0,
    rank: 0,
    worldSize: 1,
    shuffleBuffer: 4,
    ...over,
  });

describe('epoch plan', () => {
  it('reads whole shards in a seeded order, each in disk order, and emits a permutation', () => {
    const { readOrder, emission } = plan();
    expect([...readOrder].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // runs of consecutive indices = shards, read front to back
    const starts = [0, 5, 12, 15, 24];
    let at = 0;
    const visited: number[] = [];
    while (at < 30) {
      const s = starts.indexOf(readOrder[at]!);
      expect(s).toBeGreaterThanOrEqual(0);
      for (let i = 0; i < shards[s]!; i++) expect(readOrder[at + i]).toBe(starts[s]! + i);
      visited.push(s);
      at += shards[s]!;
    }
    expect(visited).not.toEqual([0, 1, 2, 3, 4]); // shuffled (for this seed)
    expect([...emission].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(plan().emission).toEqual(emission); // deterministic
    expect(plan({ epoch: 1 }).readOrder).not.toEqual(readOrder); // new order each epoch
  });

  it('gives each rank a disjoint, equally long, deterministic part of every epoch', () => {
    for (const epoch of [0, 1, 2]) {
      const parts = [0, 1, 2, 3].map((rank) => [...plan({ epoch, rank, worldSize: 4 }).readOrder]);
      for (const p of parts) expect(p).toHaveLength(7); // ⌊30/4⌋
      expect(new Set(parts.flat()).size).toBe(28); // disjoint
      expect(parts[2]).toEqual([...plan({ epoch, rank: 2, worldSize: 4 }).readOrder]);
    }
    expect(() => plan({ rank: 4, worldSize: 4 })).toThrow(/rank must be an integer in 0..3/);
    expect(() => plan({ worldSize: 31 })).toThrow(/30 usable utterances cannot be split over 31/);
  });

  it('a shuffle buffer of S never needs more than S utterances read ahead', () => {
    for (const size of [1, 3, 8]) {
      const order = shuffleBufferOrder(50, size, mulberry32(9));
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      // Emission e (< n − S) happens while position S + e is read: everything emitted so far
      // was read, and at most S read positions wait.
      for (let e = 0; e < 50 - size; e++) expect(order[e]!).toBeLessThan(size + e);
      if (size === 1) expect([...order]).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
  });

  it('picks K distinct sources and a target per utterance, from its own seeded stream', () => {
    const f = exampleFrames(1, 0, 17, 10, 4);
    expect(f).toHaveLength(5);
    expect(new Set(f).size).toBe(5);
    for (const i of f) expect(i >= 0 && i < 10).toBe(true);
    expect(exampleFrames(1, 0, 17, 10, 4)).toEqual(f);
    const others = new Set([0, 1, 2, 3].map((e) => JSON.stringify(exampleFrames(1, e, 17, 10, 4))));
    expect(others.size).toBeGreaterThan(1);
  });
});
