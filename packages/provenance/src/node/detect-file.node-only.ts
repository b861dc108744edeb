/**
 * Node-only: `detect` for files and folders. A video is decoded frame by frame into one detector
 * (the frames are aggregated), an image is one frame; a folder is every image and video in it,
 * each reported on its own, bad files recorded and skipped. `sequence: true` also reads a folder's
 * images (sorted by name, e.g. `th reenact --out frames/`) as the frames of one video.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { createDetector, type DetectionResult, type DetectorOptions } from '../detect/detector';
import { decodeFrames, probeMedia } from './ffmpeg.node-only';
import { type FileMetadata, readFileMetadata } from './file-metadata.node-only';

export interface DetectFileOptions extends DetectorOptions {
  /** Read at most this many frames of a video (default: all). */
  maxFrames?: number;
}

export interface FileReport {
  path: string;
  kind: 'video' | 'image' | 'sequence';
  width: number;
  height: number;
  frames: number;
  watermark: DetectionResult;
  metadata: FileMetadata;
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff'];
export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.mkv', '.webm', '.avi', '.gif'];

export async function detectFile(
  path: string,
  options: DetectFileOptions = {},
): Promise<FileReport> {
  const media = await probeMedia(path);
  const detector = createDetector(options);
  for await (const frame of decodeFrames(path, media, options.maxFrames)) detector.addFrame(frame);
  const watermark = detector.result();
  const still = IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
  return {
    path,
    kind: still || watermark.frames === 1 ? 'image' : 'video',
    width: media.width,
    height: media.height,
    frames: watermark.frames,
    watermark,
    metadata: await readFileMetadata(path, media),
  };
}

export interface PathReport {
  files: FileReport[];
  /** Files that could not be read, with the reason (the job went on without them). */
  failed: { path: string; error: string }[];
  /** Entries of a folder that are not images or videos by their extension. */
  skipped: string[];
  /** With `sequence`: the folder's images read as one video, in name order. */
  sequence?: FileReport;
}

export interface DetectPathOptions extends DetectFileOptions {
  sequence?: boolean;
  /** Called after each file (e.g. progress). */
  onFile?: (done: number, total: number, path: string) => void;
}

/** `detect` for a file or a folder (not recursive). */
export async function detectPath(
  path: string,
  options: DetectPathOptions = {},
): Promise<PathReport> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`${path}: no such file or folder`);
  }
  if (!info.isDirectory())
    return { files: [await detectFile(path, options)], failed: [], skipped: [] };
  const names = (await readdir(path)).sort();
  const known = [...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS];
  const wanted = names.filter((n) => known.includes(extname(n).toLowerCase()));
  const report: PathReport = {
    files: [],
    failed: [],
    skipped: names.filter((n) => !wanted.includes(n)),
  };
  for (const [i, name] of wanted.entries()) {
    const file = join(path, name);
    try {
      report.files.push(await detectFile(file, options));
    } catch (e) {
      report.failed.push({ path: file, error: (e as Error).message });
    }
    options.onFile?.(i + 1, wanted.length, file);
  }
  if (options.sequence) report.sequence = await detectSequence(path, report.files, options);
  return report;
}

/** The folder's images (already read once, so known to decode) as the frames of one video. */
async function detectSequence(
  folder: string,
  files: FileReport[],
  options: DetectFileOptions,
): Promise<FileReport | undefined> {
  const images = files.filter((f) => f.kind === 'image');
  const first = images[0];
  if (!first) return undefined;
  const detector = createDetector(options);
  for (const f of images) {
    if (f.width !== first.width || f.height !== first.height)
      throw new Error(
        `${f.path}: is ${f.width}x${f.height}, but ${first.path} is ${first.width}x${first.height}; a sequence needs one size`,
      );
    for await (const frame of decodeFrames(f.path, f, 1)) detector.addFrame(frame);
  }
  const watermark = detector.result();
  return {
    path: folder,
    kind: 'sequence',
    width: first.width,
    height: first.height,
    frames: watermark.frames,
    watermark,
    metadata: first.metadata,
  };
}
