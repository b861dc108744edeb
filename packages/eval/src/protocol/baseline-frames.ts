/**
 * The two trivial baselines of the FSTH table (docs/design.md#trivial-baselines): outputs that use
 * no model, made only from the K source shots the model itself is given (@th/data's evalSubjects
 * picks them by the ⌊i·n/K⌋ rule, for the model and the baselines alike). A model that cannot beat
 * them in PSNR and SSIM has not learned to use its shots or the driver.
 */
import { join } from 'node:path';
import type { RgbImage, StoredFrame } from '@th/data';
import { writePng } from '@th/data/node';
import type { Baseline } from '@th/metrics';

/** copy-first: the first of the K shots (source ⌊0·n/K⌋ = the first sorted source), unchanged. */
export function copyFirstFrame(shots: readonly StoredFrame[], size: number): RgbImage {
  const first = shots[0];
  if (!first) throw new Error('copy-first needs at least one source shot');
  checkSize(first, size);
  return { width: size, height: size, data: first.rgb.slice() };
}

/**
 * source-mean: per pixel and channel, the mean of the K shots, summed in float and rounded once
 * to the nearest integer (halves up), so K = 1 gives the shot itself.
 */
export function sourceMeanFrame(shots: readonly StoredFrame[], size: number): RgbImage {
  if (shots.length === 0) throw new Error('source-mean needs at least one source shot');
  const sum = new Float64Array(size * size * 3);
  for (const shot of shots) {
    checkSize(shot, size);
    for (let i = 0; i < sum.length; i++) sum[i]! += shot.rgb[i]!;
  }
  const data = new Uint8Array(sum.length);
  for (let i = 0; i < sum.length; i++) data[i] = Math.round(sum[i]! / shots.length);
  return { width: size, height: size, data };
}

function checkSize(frame: StoredFrame, size: number) {
  if (frame.rgb.length !== size * size * 3)
    throw new Error(
      `source frame ${frame.id}: ${frame.rgb.length} bytes, expected ${size}×${size}×3`,
    );
}

/** The baseline's image for the given shots (the same for every hold-out frame). */
export function baselineFrame(
  baseline: Baseline,
  shots: readonly StoredFrame[],
  size: number,
): RgbImage {
  return baseline === 'copy-first' ? copyFirstFrame(shots, size) : sourceMeanFrame(shots, size);
}

/**
 * Writes the baseline's output for every hold-out frame as `dir/NNNNN.png` (atomic writes), at
 * the dataset's resolution, the size the model's outputs are brought to. Returns ms per frame.
 */
export async function renderBaseline(
  baseline: Baseline,
  shots: readonly StoredFrame[],
  targets: readonly StoredFrame[],
  size: number,
  dir: string,
): Promise<{ renderMsPerFrame: number }> {
  const started = performance.now();
  const image = baselineFrame(baseline, shots, size);
  for (const t of targets) await writePng(join(dir, `${t.id}.png`), image);
  return {
    renderMsPerFrame: targets.length ? (performance.now() - started) / targets.length : Number.NaN,
  };
}
