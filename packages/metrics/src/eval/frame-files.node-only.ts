import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { readImage } from '@th/data/node';
import type { HwcImage } from '../image';

/**
 * Reads an image file (PNG, or JPEG) as uint8 RGB HWC through @th/data's decoder (pngjs; alpha
 * dropped); errors name the file.
 */
export async function readPngRgb(path: string): Promise<HwcImage & { data: Uint8Array }> {
  const { image } = await readImage(path);
  return { ...image, channels: 3 };
}

/** Every file under `root` (recursively) whose name matches `pattern`, sorted by path. */
export async function listFiles(root: string, pattern: RegExp): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch (error) {
    throw new Error(`${root}: cannot list folder (${(error as Error).message})`);
  }
  return entries
    .filter((e) => e.isFile() && pattern.test(e.name))
    .map((e) => join(e.parentPath ?? root, e.name))
    .sort();
}

/** A frame of the FSTH layout `<split>/<identity>/<video>/**​/NNNNN_rgb.png`. */
export interface FsthFrame {
  readonly path: string;
  readonly split: string;
  readonly identity: string;
  /** "NNNNN", the frame number in the file name. */
  readonly frame: string;
}

/** Lists `*_rgb.png` under `root`, where `root` holds `train/` and/or `test/` split folders. */
export async function listFsthFrames(root: string): Promise<FsthFrame[]> {
  const files = await listFiles(root, /^\d+_rgb\.png$/);
  return files.map((path) => {
    const parts = relative(root, path).split(sep);
    if (parts.length < 3) {
      throw new Error(`${path}: expected <split>/<identity>/.../NNNNN_rgb.png under ${root}`);
    }
    return {
      path,
      split: parts[0]!,
      identity: parts[1]!,
      frame: parts[parts.length - 1]!.replace(/_rgb\.png$/, ''),
    };
  });
}
