/**
 * Node-only: turn one unit (clip or frame folder) into its shard bytes, following
 * docs/design.md#preprocessing:
 * LSR's frame selection for clips, 68 landmarks per frame, the landmark image and the landmark
 * oracle segmentation. A unit with any frame where no face is found is dropped, as LSR drops
 * utterances whose landmark extraction failed.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { selectFrameIndices } from '../frames/select-frames';
import { decodeImage } from '../image/decode-image.node-only';
import { encodeGrayPng, encodeRgbPng } from '../image/image-files.node-only';
import type { RgbImage } from '../image/rgb-image';
import type { LandmarkDetector, Landmarks68 } from '../landmarks/landmarks';
import { readLandmarksJson } from '../landmarks/read-landmarks-json.node-only';
import { renderLandmarkImage } from '../render/landmark-image';
import { landmarkOracleSegmentation } from '../segmentation/landmark-oracle';
import { decodeVideoFrames } from '../video/ffmpeg-video.node-only';
import type { WorkUnit } from './discover.node-only';
import type { ManifestEntry, UtteranceMeta } from './format';
import { tarMember } from './tar';

/** A unit-level failure: which file and why (recorded in failures.jsonl, the unit is skipped). */
export class UnitError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Where landmarks come from: a detector, or `NNNNN_landmarks.json` beside each frame. */
export type LandmarkSource = { kind: 'detector'; detector: LandmarkDetector } | { kind: 'json' };

export type UnitEntry = Omit<ManifestEntry, 'shard' | 'offset' | 'length'>;

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

async function loadFrames(unit: WorkUnit, notes: string[]): Promise<Frame[]> {
  if (unit.kind === 'video') {
    let decoded: Awaited<ReturnType<typeof decodeVideoFrames>>;
    try {
      decoded = await decodeVideoFrames(unit.path, selectFrameIndices);
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

async function landmarksOf(frame: Frame, source: LandmarkSource): Promise<Landmarks68> {
  if (source.kind === 'json') {
    if (frame.file.endsWith('.mp4')) {
      throw new UnitError(frame.file, 'JSON landmarks are only read for frame folders');
    }
    const path = join(frame.file, '..', `${frame.id}_landmarks.json`);
    try {
      return await readLandmarksJson(path);
    } catch (e) {
      throw new UnitError(path, (e as Error).message.replace(`${path}: `, ''));
    }
  }
  const found = await source.detector.detect(frame.image);
  if (!found) {
    const where = frame.file.endsWith('.mp4') ? `frame ${frame.id}` : basename(frame.file);
    throw new UnitError(frame.file, `no face found (${where}); utterance skipped`);
  }
  return found;
}

/** Process one unit; throws {@link UnitError} for bad input. */
export async function processUnit(unit: WorkUnit, source: LandmarkSource): Promise<ProcessedUnit> {
  const notes: string[] = [];
  const frames = await loadFrames(unit, notes);
  const { width, height } = frames[0]!.image;
  const parts: Uint8Array[] = [];
  const landmarks: [number, number][][] = [];
  for (const frame of frames) {
    const lm = await landmarksOf(frame, source);
    landmarks.push(lm.map(([x, y]) => [x, y]));
    const contour = renderLandmarkImage(lm, { width, height });
    const seg = landmarkOracleSegmentation(lm, width, height);
    parts.push(tarMember(`${unit.key}/${frame.id}.rgb.png`, encodeRgbPng(frame.image)));
    parts.push(tarMember(`${unit.key}/${frame.id}.contour.png`, encodeRgbPng(contour)));
    parts.push(tarMember(`${unit.key}/${frame.id}.seg.png`, encodeGrayPng(seg, width, height)));
  }
  const ids = frames.map((f) => f.id);
  const meta: UtteranceMeta = { key: unit.key, frames: ids, width, height, landmarks, notes };
  parts.unshift(tarMember(`${unit.key}/meta.json`, new TextEncoder().encode(JSON.stringify(meta))));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const entry: UnitEntry = {
    key: unit.key,
    identity: unit.identity,
    video: unit.video,
    utterance: unit.utterance,
    split: unit.split,
    frames: ids,
    width,
    height,
    stages: ['frames', 'landmarks', 'contour', 'segmentation'],
    landmarkSource: source.kind === 'json' ? 'json' : 'face-api',
  };
  return { entry, bytes };
}
