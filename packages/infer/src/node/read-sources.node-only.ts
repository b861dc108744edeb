/** Node-only: read the source photos (PNG/JPEG) of a subject; errors name the unreadable file. */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RgbImage } from '@th/data';
import { readImage } from '@th/data/node';

export interface SourceImages {
  frames: RgbImage[];
  names: string[];
  /** Conversions applied while decoding (grayscale, alpha, palette, 16-bit), per file. */
  notes: string[];
}

const IMAGE = /\.(png|jpe?g)$/i;

/**
 * The image files that `--source` arguments name: files as given, folders as their PNG/JPEG files
 * in name order. Checked before any work: a missing path or an empty folder is an error naming it.
 */
export function sourceFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) throw new Error('no source images given (--source a.png b.png ...)');
  const files: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new Error(`${path}: source not found (give PNG/JPEG photos or a folder of them)`);
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    const images = readdirSync(path)
      .filter((f) => IMAGE.test(f))
      .sort();
    if (images.length === 0) throw new Error(`${path}: source folder has no PNG/JPEG images`);
    files.push(...images.map((f) => join(path, f)));
  }
  return files;
}

/** Read the source photos (files, or folders of PNG/JPEG images). */
export async function readSources(paths: readonly string[]): Promise<SourceImages> {
  const out: SourceImages = { frames: [], names: [], notes: [] };
  for (const path of sourceFiles(paths)) {
    const { image, notes } = await readImage(path);
    out.frames.push(image);
    out.names.push(basename(path));
    for (const n of notes) out.notes.push(`${basename(path)}: ${n}`);
  }
  return out;
}
