/**
 * Which K of n source frames become the shots: the released evaluation's deterministic rule
 * (docs/design.md#shot-choice), indices ⌊i·n/K⌋ for i = 0..K−1, i.e. K evenly spaced frames
 * starting at the first.
 */
export function chooseShotIndices(available: number, k: number): number[] {
  if (!Number.isInteger(k) || k < 1) throw new Error(`K must be an integer >= 1, got ${k}`);
  if (k > available) {
    throw new Error(
      `K = ${k} shots requested but only ${available} usable source frame${available === 1 ? '' : 's'} given: pass more frames or a smaller K`,
    );
  }
  return Array.from({ length: k }, (_, i) => Math.floor((i * available) / k));
}
