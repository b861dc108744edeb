import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import {
  createFaceApiDetector,
  type LandmarkDetector,
  type Landmarks68,
  landmarkOracleSegmentation,
  type RgbImage,
  readImage,
  renderLandmarkImage,
  resizeArea,
  resizeNearest,
  toSignedUnit,
  writeFileAtomic,
} from '@th/data/node';
import type { FrameStore, StoredFrame, StoredVideo } from './frame-store';

export interface FolderStoreOptions {
  /** Model resolution every frame is resampled to. */
  resolution: number;
  /** JSON file caching the detected landmarks (the slow step); read if present, rewritten when extended. */
  landmarkCache?: string;
  /** Reuse a detector (e.g. across train/test folders). Default: face-api, created on demand. */
  detector?: LandmarkDetector;
  /** Keep at most this many frames per video (sorted by name). Default: all. */
  maxFramesPerVideo?: number;
  /** Progress lines (one per video). */
  log?: (line: string) => void;
}

type LandmarkCache = Record<string, Landmarks68 | null>;

/**
 * Loads an FSTH / VoxCeleb2 frame tree `<root>/<identity>/<video>/**\/NNNNN_rgb.png` into a
 * `FrameStore`: landmarks detected once per frame with @th/data's face-api detector (cached as
 * JSON), landmark images rendered and oracle segmentations painted at the frame's own size, then
 * resampled to the model resolution with @th/data's resamplers (area for images, nearest for
 * labels). Frames without a detected face are dropped, as LSR drops
 * frames whose landmark extraction fails (docs/design.md#training-examples).
 */
export async function loadFolderStore(
  root: string,
  options: FolderStoreOptions,
): Promise<FrameStore> {
  const log = options.log ?? (() => {});
  const cache: LandmarkCache = options.landmarkCache ? await readCache(options.landmarkCache) : {};
  const cachedBefore = Object.keys(cache).length;
  let detector = options.detector ?? null;
  const videos: StoredVideo[] = [];
  for (const videoDir of await videoDirectories(root)) {
    let files = (await listRgbFrames(videoDir)).sort();
    if (options.maxFramesPerVideo) files = files.slice(0, options.maxFramesPerVideo);
    const frames: StoredFrame[] = [];
    for (const file of files) {
      // Keyed by the folder's own name too: FSTH's train/ and test/ trees hold the same relative
      // paths (id/video/NNNNN_rgb.png), and one cache file serves both.
      const key = `${basename(resolve(root))}/${relative(root, file)}`;
      const { image } = await readImage(file);
      if (!(key in cache)) {
        detector ??= await createFaceApiDetector();
        cache[key] = await detector.detect(image);
      }
      const lm = cache[key];
      if (!lm) continue;
      const { width: w, height: h } = image;
      const contour = renderLandmarkImage(lm, { width: w, height: h });
      // Area averaging, not bilinear: at 224 → 64 bilinear reads 2×2 of the ~3.5×3.5 pixels an
      // output covers and thins the landmark contours. Same resampler as @th/infer's input path.
      const toModelScale = (img: RgbImage) =>
        toSignedUnit(resizeArea(img, options.resolution, options.resolution));
      frames.push({
        id: key.replace(/_rgb\.png$/, ''),
        rgb: toModelScale(image),
        landmarks: toModelScale(contour),
        segmentation: resizeNearest(
          landmarkOracleSegmentation(lm, w, h),
          w,
          h,
          options.resolution,
          options.resolution,
        ),
      });
    }
    const id = relative(root, videoDir);
    log(`${id}: ${frames.length}/${files.length} frames with landmarks`);
    if (frames.length > 0) videos.push({ id, frames });
  }
  if (options.landmarkCache && Object.keys(cache).length !== cachedBefore)
    await writeFileAtomic(options.landmarkCache, new TextEncoder().encode(JSON.stringify(cache)));
  if (videos.length === 0)
    throw new Error(`loadFolderStore: no frames with landmarks under ${root}`);
  return { resolution: options.resolution, videos };
}

/** `<root>/<identity>/<video>` directories, sorted (deterministic order = deterministic sampling). */
async function videoDirectories(root: string): Promise<string[]> {
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`loadFolderStore: ${root} is not a directory`);
  const out: string[] = [];
  for (const identity of (await readdir(root, { withFileTypes: true })).filter((e) =>
    e.isDirectory(),
  )) {
    const idDir = join(root, identity.name);
    for (const video of (await readdir(idDir, { withFileTypes: true })).filter((e) =>
      e.isDirectory(),
    ))
      out.push(join(idDir, video.name));
  }
  if (out.length === 0)
    throw new Error(
      `loadFolderStore: ${root} has no <identity>/<video>/ folders (expected frames/train/<id>/<video>/NNNNN_rgb.png)`,
    );
  return out.sort();
}

async function listRgbFrames(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listRgbFrames(path)));
    else if (/^\d+_rgb\.png$/.test(entry.name)) out.push(path);
  }
  return out;
}

async function readCache(path: string): Promise<LandmarkCache> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return {};
  try {
    return JSON.parse(text) as LandmarkCache;
  } catch (e) {
    throw new Error(
      `landmark cache ${path} is not valid JSON (${(e as Error).message}); delete it to rebuild`,
    );
  }
}
