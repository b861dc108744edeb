/**
 * Node-only: turn one unit (clip or frame folder) into its shard bytes, following
 * docs/design.md#preprocessing: LSR's frame selection for clips, 68 landmarks per frame (a
 * detector sees the unit's frames as one sequence, so it can find the face once and track it),
 * then per frame, at the dataset's resolution R, the frame, the landmark image and the landmark
 * oracle segmentation (`frameInputsAt`, the same function evaluation and inference use). A unit
 * with any frame where no face is found is dropped, as LSR drops utterances whose landmark
 * extraction failed.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { type ClipFrames, clipFrameRule, LSR_CLIP_FRAMES } from '../frames/select-frames';
import { decodeImage } from '../image/decode-image.node-only';
import type { RgbImage } from '../image/rgb-image';
import { type LandmarkDetector, type Landmarks68, validateLandmarks } from '../landmarks/landmarks';
import { readLandmarksJson } from '../landmarks/read-landmarks-json.node-only';
import { frameInputsAt } from '../render/frame-inputs';
import { decodeVideoFrames } from '../video/ffmpeg-video.node-only';
import type { WorkUnit } from './discover.node-only';
import type { UtteranceMeta } from './format';
import { encodeMemberPng } from './member-png.node-only';
import { type FramePngs, type UnitEntry, unitEntryOf, utteranceBytes } from './utterance-record';

/** A unit-level failure: which file and why (recorded in failures.jsonl, the unit is skipped). */
export class UnitError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Where landmarks come from: a detector, `NNNNN_landmarks.json` beside each frame, or one JSON
 * file mapping frame paths (relative to the input folder) to 68 points or null (no face).
 */
export type LandmarkSource =
  | { kind: 'detector'; detector: LandmarkDetector }
  | { kind: 'json' }
  | { kind: 'file'; path: string; root: string; frames: Record<string, unknown> };

export interface ProcessedUnit {
  entry: UnitEntry;
  /** the unit's tar members, concatenated */
  bytes: Uint8Array;
}

interface Frame {
  id: string;
  file: string;
  image: RgbImage;
}

async function loadFrames(
  unit: WorkUnit,
  notes: string[],
  clipFrames: ClipFrames,
): Promise<Frame[]> {
  if (unit.kind === 'video') {
    let decoded: Awaited<ReturnType<typeof decodeVideoFrames>>;
    try {
      decoded = await decodeVideoFrames(unit.path, clipFrameRule(clipFrames));
    } catch (e) {
      throw new UnitError(unit.path, (e as Error).message.replace(`${unit.path}: `, ''));
    }
    const id = (i: number) => String(i).padStart(5, '0');
    return decoded.map((f) => ({ id: id(f.index), file: unit.path, image: f.image }));
  }
  const frames: Frame[] = [];
  for (const name of unit.frameFiles) {
    const file = join(unit.path, name);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (e) {
      throw new UnitError(file, `cannot read: ${(e as Error).message}`);
    }
    let decoded: ReturnType<typeof decodeImage>;
    try {
      decoded = decodeImage(bytes, file);
    } catch (e) {
      throw new UnitError(file, (e as Error).message.replace(`${file}: `, ''));
    }
    for (const note of decoded.notes) notes.push(`${name}: ${note}`);
    frames.push({ id: name.replace(/(_rgb)?\.(png|jpe?g)$/i, ''), file, image: decoded.image });
  }
  const first = frames[0]!;
  for (const f of frames) {
    if (f.image.width !== first.image.width || f.image.height !== first.image.height) {
      throw new UnitError(
        f.file,
        `frame is ${f.image.width}x${f.image.height}, others are ${first.image.width}x${first.image.height}`,
      );
    }
  }
  return frames;
}

const where = (frame: Frame) =>
  frame.file.endsWith('.mp4') ? `frame ${frame.id}` : basename(frame.file);

function noFace(frame: Frame): UnitError {
  return new UnitError(frame.file, `no face found (${where(frame)}); utterance skipped`);
}

async function landmarksOf(frames: Frame[], source: LandmarkSource): Promise<Landmarks68[]> {
  if (source.kind === 'detector') {
    const { detector } = source;
    const found = detector.detectSequence
      ? await detector.detectSequence(frames.map((f) => f.image))
      : await Promise.all(frames.map((f) => detector.detect(f.image)));
    return frames.map((frame, i) => {
      const lm = found[i];
      if (!lm) throw noFace(frame);
      return lm;
    });
  }
  if (frames[0]!.file.endsWith('.mp4')) {
    throw new UnitError(frames[0]!.file, 'landmarks from JSON are only read for frame folders');
  }
  const out: Landmarks68[] = [];
  for (const frame of frames) {
    if (source.kind === 'json') {
      const path = join(frame.file, '..', `${frame.id}_landmarks.json`);
      try {
        out.push(await readLandmarksJson(path));
      } catch (e) {
        throw new UnitError(path, (e as Error).message.replace(`${path}: `, ''));
      }
      continue;
    }
    const key = relative(source.root, frame.file).split(sep).join('/');
    if (!(key in source.frames)) throw new UnitError(source.path, `has no landmarks for ${key}`);
    const value = source.frames[key];
    if (value === null) throw noFace(frame);
    try {
      out.push(validateLandmarks(value, `${source.path}: ${key}`));
    } catch (e) {
      throw new UnitError(source.path, (e as Error).message.replace(`${source.path}: `, ''));
    }
  }
  return out;
}

/** Process one unit at resolution `size` (R×R); throws {@link UnitError} for bad input. */
export async function processUnit(
  unit: WorkUnit,
  source: LandmarkSource,
  size: number,
  clipFrames: ClipFrames = LSR_CLIP_FRAMES,
): Promise<ProcessedUnit> {
  const notes: string[] = [];
  const frames = await loadFrames(unit, notes, clipFrames);
  const { width, height } = frames[0]!.image;
  if (width !== size || height !== size)
    notes.push(`frames ${width}x${height} → ${size}x${size} (centre square, resizeImage)`);
  const landmarks = await landmarksOf(frames, source);
  const pngs: FramePngs[] = [];
  const stored: [number, number][][] = [];
  for (const [i, frame] of frames.entries()) {
    const inputs = frameInputsAt(frame.image, landmarks[i]!, size);
    stored.push(inputs.landmarks.map(([x, y]) => [x, y]));
    pngs.push({
      rgb: encodeMemberPng(inputs.rgb.data, size, 'frame'),
      contour: encodeMemberPng(inputs.landmarkImage.data, size, 'landmarks'),
      seg: encodeMemberPng(inputs.segmentation, size, 'segmentation'),
    });
  }
  const meta: UtteranceMeta = {
    key: unit.key,
    identity: unit.identity,
    video: unit.video,
    utterance: unit.utterance,
    split: unit.split,
    frames: frames.map((f) => f.id),
    width: size,
    height: size,
    sourceWidth: width,
    sourceHeight: height,
    landmarks: stored,
    notes,
  };
  const bytes = utteranceBytes(meta, pngs);
  const entry = unitEntryOf(
    meta,
    source.kind !== 'detector'
      ? source.kind
      : source.detector.detectSequence
        ? 'face-api'
        : 'face-api (each frame)',
  );
  return { entry, bytes };
}
