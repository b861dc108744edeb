import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { resizeImage, type StoredFrame } from '@th/data';
import { writePng } from '@th/data/node';
import { renderFrame, type Subject } from '@th/infer';

/** Whether every target already has its `NNNNN.png` in `dir` (a finished setting of a killed run). */
export async function settingComplete(
  dir: string,
  targets: readonly StoredFrame[],
): Promise<boolean> {
  for (const t of targets) {
    try {
      await access(join(dir, `${t.id}.png`));
    } catch {
      return false;
    }
  }
  return targets.length > 0;
}

/**
 * Renders every hold-out frame from its landmarks (docs/design.md#fsth-protocol: the hold-out
 * frames' landmarks drive the model) and writes `dir/NNNNN.png` atomically. Outputs come at the model resolution and are
 * brought to the hold-out frame's size (`size`) with @th/data's `resizeImage` (bilinear when
 * enlarging), as LSR's evaluation did for baselines of a smaller resolution ("outputs were
 * resized to 224", docs/design.md#fsth-protocol), so that every metric compares images of the
 * ground truth's size.
 * Returns the mean render time per frame (landmark image + G^l + G^I + read-back).
 */
export async function renderHoldout(
  subject: Subject,
  targets: readonly StoredFrame[],
  size: number,
  dir: string,
  onFrame?: (done: number, total: number) => void,
): Promise<{ renderMsPerFrame: number }> {
  let totalMs = 0;
  for (const [i, t] of targets.entries()) {
    const out = await renderFrame(
      subject,
      { landmarks: t.landmarks, width: size, height: size },
      { index: i },
    );
    totalMs += out.timings.totalMs;
    await writePng(join(dir, `${t.id}.png`), resizeImage(out.image, size, size));
    onFrame?.(i + 1, targets.length);
  }
  return { renderMsPerFrame: targets.length ? totalMs / targets.length : Number.NaN };
}
