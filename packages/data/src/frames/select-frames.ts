/**
 * LSR's frame sampling (docs/design.md#frame-rule, `release_landmark.py`): from an utterance of n
 * frames keep
 * index i whenever i mod (⌊n/10⌋ + 1) = 0. The stride is ⌊n/10⌋+1 rather than n/10 so that at
 * most 10 frames are kept (n = 100 → stride 11 → 0, 11, …, 99: ten frames; n < 10 keeps all).
 */
export function selectFrameIndices(frameCount: number): number[] {
  return keepUpTo(frameCount, LSR_CLIP_FRAMES, 'selectFrameIndices');
}

/** How many frames of a clip to keep: at most N uniformly spaced (LSR: 10), or 'all'. */
export type ClipFrames = number | 'all';

/** LSR's clip frame rule. */
export const LSR_CLIP_FRAMES = 10;

/**
 * The frame rule for `clipFrames`: LSR's rule with N in place of 10 (stride ⌊n/N⌋ + 1, so at most
 * N frames, spread over the clip; N = 10 is `selectFrameIndices`), or every frame. Keeping more
 * frames of few clips gives a small dataset more poses and expressions than LSR's 10 per clip,
 * which suit VoxCeleb2's million clips.
 */
export function clipFrameRule(clipFrames: ClipFrames): (frameCount: number) => number[] {
  if (clipFrames === 'all') return (n) => keepUpTo(n, Number.POSITIVE_INFINITY, 'clipFrameRule');
  if (!Number.isInteger(clipFrames) || clipFrames < 1)
    throw new Error(`--clip-frames must be a positive integer or "all", got ${clipFrames}`);
  return (n) => keepUpTo(n, clipFrames, 'clipFrameRule');
}

/** Indices i with i mod (⌊n/most⌋ + 1) = 0 (every index when `most` is infinite). */
function keepUpTo(frameCount: number, most: number, caller: string): number[] {
  if (!Number.isInteger(frameCount) || frameCount < 0)
    throw new Error(`${caller}: frame count must be a non-negative integer, got ${frameCount}`);
  const stride = Math.floor(frameCount / most) + 1;
  const kept: number[] = [];
  for (let i = 0; i < frameCount; i += stride) kept.push(i);
  return kept;
}
