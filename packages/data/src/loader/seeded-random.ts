import { mulberry32Step } from '@th/backend';

/**
 * Deterministic randomness for the loader: mulberry32 (`mulberry32Step` of @th/backend, a 32-bit
 * state generator with a full 2^32 period) and a Fisher–Yates shuffle on top.
 * The same seed gives the same order on every platform.
 */

export type Random = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    const step = mulberry32Step(state);
    state = step.state;
    return step.value;
  };
}

/** Seed derived from a base seed and an epoch (so each epoch has its own, reproducible order). */
export function deriveSeed(seed: number, epoch: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;
}

/** In-place Fisher–Yates shuffle; returns the array. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
