/**
 * A tiny seeded generator whose whole state is one 32-bit integer, so it can be written into a
 * checkpoint and restored exactly: mulberry32 (Tommy Ettinger, public domain). Each draw adds the
 * Weyl constant 0x6D2B79F5 to the state and scrambles it with two multiply-xorshift rounds.
 */
export class SeededRandom {
  private s: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`SeededRandom: seed must be finite, got ${seed}`);
    this.s = Math.floor(seed) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
