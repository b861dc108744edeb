import type { HwcImage } from '@th/metrics';

/**
 * L1 distance of two images on the 0..255 scale: the mean absolute difference over every pixel
 * and channel, MAE = (1 / (H·W·C)) · Σ |a − b| (docs/design.md#metric-l1, the "L1 (not reported)"
 * row). Reported
 * by the protocol harness because it is the plainest check that fine-tuning moves the output
 * towards the hold-out frames (issue #6).
 */
export function meanAbsoluteError(a: HwcImage, b: HwcImage): number {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels)
    throw new Error(
      `images differ in shape: ${a.height}x${a.width}x${a.channels} vs ${b.height}x${b.width}x${b.channels}`,
    );
  let sum = 0;
  const n = a.data.length;
  for (let i = 0; i < n; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / n;
}
