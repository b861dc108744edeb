/**
 * Keyed pseudo-random numbers: SHA-256 in counter mode, block i = SHA-256(key ‖ 0x00 ‖ label ‖
 * 0x00 ‖ i as 4 big-endian bytes), read as 32-bit big-endian words. Deterministic on every
 * platform, documented, and independent between labels (the detector's false-alarm analysis
 * needs the sync phases to be independent of everything else).
 */
import { sha256, utf8 } from '../math/sha256';

export function keyedUint32(key: string, label: string): () => number {
  const prefix = utf8(`${key}\u0000${label}\u0000`);
  const message = new Uint8Array(prefix.length + 4);
  message.set(prefix);
  const view = new DataView(message.buffer);
  let counter = 0;
  let block: Uint8Array = new Uint8Array(0);
  let word = 8;
  return () => {
    if (word === 8) {
      view.setUint32(prefix.length, counter++);
      block = sha256(message);
      word = 0;
    }
    const w = new DataView(block.buffer).getUint32(word * 4);
    word++;
    return w;
  };
}

/** Uniform phases in [0, 2π). */
export function keyedPhases(key: string, label: string, count: number): Float64Array {
  const next = keyedUint32(key, label);
  return Float64Array.from({ length: count }, () => (next() / 2 ** 32) * 2 * Math.PI);
}
