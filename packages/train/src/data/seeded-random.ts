import { mulberry32Step } from '@th/backend';

/**
 * A tiny seeded generator whose whole state is one 32-bit integer, so it can be written into a
 * checkpoint and restored exactly: mulberry32 (`mulberry32Step` of @th/backend).
 */
export class SeededRandom {
  private s: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`SeededRandom: seed must be finite, got ${seed}`);
    this.s = Math.floor(seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const { value, state } = mulberry32Step(this.s);
    this.s = state;
    return value;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`SeededRandom.int: n must be >= 1, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** The first `count` entries of a uniformly random permutation of 0..n-1 (partial Fisher-Yates). */
  sample(n: number, count: number): number[] {
    if (count > n) throw new Error(`SeededRandom.sample: cannot draw ${count} distinct of ${n}`);
    const items = Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + this.int(n - i);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items.slice(0, count);
  }

  get state(): number {
    return this.s;
  }

  set state(value: number) {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
      throw new Error(`SeededRandom: state must be a uint32, got ${value}`);
    this.s = value;
  }
}
