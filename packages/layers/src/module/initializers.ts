import { createRng, type Rng } from '@th/backend';

/**
 * How a parameter is filled at initialisation: given a generator private to that parameter and
 * the number of elements, return the values (row-major, the parameter's shape).
 */
export type Initializer = (rng: Rng, size: number) => Float32Array;

/** N(0, std^2) samples; the equalized-learning-rate layers store their weights as N(0, 1). */
export function normalInit(std = 1): Initializer {
  if (!(std >= 0) || !Number.isFinite(std)) {
    throw new Error(`normalInit: std must be a finite number >= 0, got ${std}`);
  }
  return (rng, size) => rng.normalArray(size, std);
}

/** Every element equal to `value` (zeros for biases). */
export function constantInit(value: number): Initializer {
  if (!Number.isFinite(value)) throw new Error(`constantInit: value must be finite, got ${value}`);
  return (_rng, size) => new Float32Array(size).fill(value);
}

/** All zeros: the initial value of every bias in LSR. */
export const zerosInit: Initializer = constantInit(0);

/**
 * 32-bit FNV-1a hash of a string (public-domain algorithm by Fowler, Noll and Vo). Used to turn
 * "seed + parameter name" into a generator seed, so that a parameter's initial value depends only
 * on the seed and its full name, never on the order in which layers were constructed.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The generator that initialises parameter `fullName` for model seed `seed`. */
export function parameterRng(seed: number, fullName: string): Rng {
  if (!Number.isInteger(seed)) throw new Error(`initialize: seed must be an integer, got ${seed}`);
  return createRng(fnv1a32(`${seed}\u0000${fullName}`));
}
