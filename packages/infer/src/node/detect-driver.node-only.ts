/**
 * Node-only: the detection pass over a driver. Landmarks are small (68 points per frame), so all
 * of them are kept; the frames themselves are streamed and dropped. Knowing every frame's
 * landmarks before rendering lets the CLI fail fast on faceless frames (listing them all) and take
 * the driver's MEAN shape as the reference of face-shape adaptation.
 */
import type { LandmarkDetector, Landmarks68 } from '@th/data';
import type { DriverSource } from './driver-frames.node-only';
import type { Progress } from './progress.node-only';
import { yieldToEvents } from './yield-to-events.node-only';

export interface DriverLandmarks {
  /** per frame, in driver pixels; null where no face was found */
  landmarks: (Landmarks68 | null)[];
  /** 0-based indices of the frames without a face */
  missing: number[];
}

export async function detectDriver(
  driver: DriverSource,
  detector: LandmarkDetector,
  limit: number,
  progress?: Progress,
): Promise<DriverLandmarks> {
  const landmarks: (Landmarks68 | null)[] = [];
  const missing: number[] = [];
  for await (const frame of driver.frames(limit)) {
    const lm = await detector.detect(frame);
    if (!lm) missing.push(landmarks.length);
    landmarks.push(lm);
    progress?.tick(landmarks.length);
    await yieldToEvents();
  }
  progress?.done();
  return { landmarks, missing };
}

/** "3, 4, 17" with ranges folded ("3–4, 17"), for messages. */
export function formatFrameList(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; ) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    parts.push(j > i ? `${indices[i]}-${indices[j]}` : `${indices[i]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
