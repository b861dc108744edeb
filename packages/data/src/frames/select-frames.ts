/**
 * LSR's frame sampling (docs/design.md#frame-rule, `release_landmark.py`): from an utterance of n
 * frames keep
 * index i whenever i mod (⌊n/10⌋ + 1) = 0. The stride is ⌊n/10⌋+1 rather than n/10 so that at
 * most 10 frames are kept (n = 100 → stride 11 → 0, 11, …, 99: ten frames; n < 10 keeps all).
 */
export function selectFrameIndices(frameCount: number): number[] {
  if (!Number.isInteger(frameCount) || frameCount < 0) {
    throw new Error(
      `selectFrameIndices: frame count must be a non-negative integer, got ${frameCount}`,
    );
  }
  const stride = Math.floor(frameCount / 10) + 1;
  const kept: number[] = [];
  for (let i = 0; i < frameCount; i += stride) kept.push(i);
  return kept;
}
