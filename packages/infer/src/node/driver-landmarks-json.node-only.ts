/**
 * Node-only: a driver given as per-frame 68-point landmarks in JSON instead of a video (issue #8):
 *
 *   { "width": W, "height": H, "fps": 25, "frames": [ [[x, y] × 68] | null, ... ] }
 *
 * Coordinates are pixels of a W×H driver frame (pixel centres at integers, as everywhere in @th);
 * `null` marks a frame without a face (handled like a faceless video frame, see --no-face);
 * `fps` is optional (default 25). Each frame uses @th/data's single-frame landmark validation, so
 * errors name the file, the frame index and the problem.
 */
import { readFile } from 'node:fs/promises';
import {
  type LandmarkDetector,
  type Landmarks68,
  type RgbImage,
  validateLandmarks,
} from '@th/data';
import type { DriverSource } from './driver-frames.node-only';

export interface DriverLandmarksFile {
  width: number;
  height: number;
  fps: number;
  /** per frame, in driver pixels; null where the frame has no face */
  frames: (Landmarks68 | null)[];
}

const positiveInteger = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v > 0;

/** Validate parsed JSON as a driver landmark file; `source` (the path) starts every error. */
export function parseDriverLandmarks(value: unknown, source: string): DriverLandmarksFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${source}: expected an object {"width": W, "height": H, "frames": [[[x, y] x 68], ...]}`,
    );
  }
  const { width, height, fps, frames } = value as Record<string, unknown>;
  if (!positiveInteger(width) || !positiveInteger(height))
    throw new Error(
      `${source}: "width" and "height" must be positive integers (driver frame size in pixels)`,
    );
  if (fps !== undefined && !(typeof fps === 'number' && Number.isFinite(fps) && fps > 0))
    throw new Error(`${source}: "fps" must be a positive number, got ${JSON.stringify(fps)}`);
  if (!Array.isArray(frames) || frames.length === 0)
    throw new Error(`${source}: "frames" must be a non-empty array of 68-point landmark sets`);
  return {
    width,
    height,
    fps: (fps as number | undefined) ?? 25,
    frames: frames.map((f, i) =>
      f === null ? null : validateLandmarks(f, `${source}: frame ${i}`),
    ),
  };
}

/** Read and validate a driver landmark file. */
export async function readDriverLandmarks(path: string): Promise<DriverLandmarksFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read driver landmark file: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  return parseDriverLandmarks(parsed, path);
}

/**
 * Frames yielded by landmark-file drivers, and their landmarks. Module-level so that a detector
 * answers for such frames whichever DriverSource object yielded them (the CLI wraps its detector
 * before `reenact` opens the driver again).
 */
const givenLandmarks = new WeakMap<RgbImage, Landmarks68 | null>();

/** A landmark file as a driver: blank (black) W×H frames, each carrying its landmarks. */
export async function openLandmarkDriver(path: string): Promise<DriverSource> {
  const file = await readDriverLandmarks(path);
  const blank = new Uint8Array(file.width * file.height * 3);
  return {
    kind: 'landmarks',
    path,
    width: file.width,
    height: file.height,
    frameCount: file.frames.length,
    fps: file.fps,
    async *frames(limit = Number.POSITIVE_INFINITY) {
      for (const landmarks of file.frames.slice(0, Math.min(file.frames.length, limit))) {
        const frame: RgbImage = { width: file.width, height: file.height, data: blank };
        givenLandmarks.set(frame, landmarks);
        yield frame;
      }
    },
  };
}

/**
 * The detector to use with landmark-file drivers: the file's landmarks for their (blank) frames,
 * `fallback` for every other image (the source photos). Disposing it disposes `fallback`.
 */
export function driverLandmarkDetector(fallback: LandmarkDetector): LandmarkDetector {
  return {
    async detect(image) {
      const given = givenLandmarks.get(image);
      return given !== undefined ? given : fallback.detect(image);
    },
    dispose: () => fallback.dispose(),
  };
}
