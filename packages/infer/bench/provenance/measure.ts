/**
 * Detection over a file in one decoding pass: the first 2 s, the first 4 s and the whole video are
 * fed to three detectors, and each frame can also be tested on its own (the per-frame false-alarm
 * count of the real set).
 */
import {
  createDetector,
  type DetectionResult,
  decodeFrames,
  probeMedia,
  readFileMetadata,
} from '@th/provenance/node';

export const PREFIXES = [50, 100] as const; // frames: 2 s and 4 s at 25 fps

export interface Measured {
  path: string;
  frames: number;
  width: number;
  height: number;
  whole: DetectionResult;
  /** Detection on the first 50 and 100 frames (absent when the video is shorter). */
  prefixes: Record<number, DetectionResult | undefined>;
  /** Frames detected as marked when tested one at a time (only when asked). */
  framesFlagged?: number;
  metadataTag: boolean;
}

export async function measureFile(path: string, perFrame = false): Promise<Measured> {
  const media = await probeMedia(path);
  const whole = createDetector();
  const prefixes = PREFIXES.map((n) => ({ n, d: createDetector() }));
  let frames = 0;
  let flagged = 0;
  for await (const frame of decodeFrames(path, media)) {
    whole.addFrame(frame);
    for (const p of prefixes) if (frames < p.n) p.d.addFrame(frame);
    if (perFrame) {
      const one = createDetector({ decodePayload: false });
      one.addFrame(frame);
      if (one.result().present) flagged++;
    }
    frames++;
  }
  const metadata = await readFileMetadata(path, media);
  return {
    path,
    frames,
    width: media.width,
    height: media.height,
    whole: whole.result(),
    prefixes: Object.fromEntries(
      prefixes.map((p) => [p.n, frames >= p.n ? p.d.result() : undefined]),
    ),
    ...(perFrame ? { framesFlagged: flagged } : {}),
    metadataTag: metadata.provenance !== null,
  };
}
