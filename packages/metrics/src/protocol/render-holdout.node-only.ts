import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Landmarks68 } from '@th/data';
import { resizeBilinear } from '@th/data';
import { writePng } from '@th/data/node';
import { renderFrame, type Subject } from '@th/infer';

/** A hold-out frame to synthesise: its number, size and the landmarks that drive it. */
export interface HoldoutTarget {
  readonly frame: string;
  readonly width: number;
  readonly height: number;
  readonly landmarks: Landmarks68;
}

/** Whether every target already has its `NNNNN.png` in `dir` (a finished setting of a killed run). */
export async function settingComplete(
  dir: string,
  targets: readonly HoldoutTarget[],
): Promise<boolean> {
  for (const t of targets) {
    try {
      await access(join(dir, `${t.frame}.png`));
    } catch {
      return false;
    }
  }
  return targets.length > 0;
}

/**
 * Renders every hold-out target from its landmarks (docs/design.md#fsth-protocol: the hold-out
 * frames' landmarks
 * drive the model) and writes `dir/NNNNN.png` atomically. Outputs come at the model resolution
 * and are bilinearly upsampled to the hold-out frame's size before saving, as LSR's evaluation
 * did for baselines of a smaller resolution ("outputs were resized to 224",
 * docs/design.md#fsth-protocol), so that
 * every metric compares images of the ground truth's size. Returns the mean render time per
 * frame (landmark image + G^l + G^I + read-back, from @th/infer's timings).
 */
export async function renderHoldout(
  subject: Subject,
  targets: readonly HoldoutTarget[],
  dir: string,
  onFrame?: (done: number, total: number) => void,
): Promise<{ renderMsPerFrame: number }> {
  let totalMs = 0;
  for (const [i, t] of targets.entries()) {
    const out = await renderFrame(
      subject,
      { landmarks: t.landmarks, width: t.width, height: t.height },
      { index: i },
    );
    totalMs += out.timings.totalMs;
    const { width, height, data } = out.image;
    const image = {
      width: t.width,
      height: t.height,
      data: resizeBilinear(data, width, height, 3, t.width, t.height),
    };
    await writePng(join(dir, `${t.frame}.png`), image);
    onFrame?.(i + 1, targets.length);
  }
  return { renderMsPerFrame: targets.length ? totalMs / targets.length : Number.NaN };
}
