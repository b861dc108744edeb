/** Node-only: read the source photos (PNG/JPEG) of a subject; errors name the unreadable file. */
import { basename } from 'node:path';
import type { RgbImage } from '@th/data';
import { readImage } from '@th/data/node';

export interface SourceImages {
  frames: RgbImage[];
  names: string[];
  /** Conversions applied while decoding (grayscale, alpha, palette, 16-bit), per file. */
  notes: string[];
}

export async function readSources(paths: readonly string[]): Promise<SourceImages> {
  if (paths.length === 0) throw new Error('no source images given (--source a.png b.png ...)');
  const out: SourceImages = { frames: [], names: [], notes: [] };
  for (const path of paths) {
    const { image, notes } = await readImage(path);
    out.frames.push(image);
    out.names.push(basename(path));
    for (const n of notes) out.notes.push(`${basename(path)}: ${n}`);
  }
  return out;
}
