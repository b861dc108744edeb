import { mkdir, readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { LandmarkDetector, Landmarks68, RgbImage } from '@th/data';
import { validateLandmarks } from '@th/data';
import { writeFileAtomic } from '@th/data/node';

/** The cache file: the detector's name and, per frame path relative to the data folder, 68 points or null (no face). */
interface CacheFile {
  detector: string;
  frames: Record<string, Landmarks68 | null>;
}

/**
 * 68-point landmarks of data frames, detected once per frame and kept in a JSON file in the
 * output folder, so a resumed or repeated run (other K, other setting) never detects again.
 * A cache written by a different detector is ignored rather than mixed in.
 */
export class LandmarkCache {
  private dirty = false;

  private constructor(
    private readonly path: string,
    private readonly dataDir: string,
    private readonly detectorName: string,
    private readonly frames: Record<string, Landmarks68 | null>,
  ) {}

  static async open(path: string, dataDir: string, detectorName: string): Promise<LandmarkCache> {
    let frames: Record<string, Landmarks68 | null> = {};
    let text: string | null = null;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      // No cache yet.
    }
    if (text !== null) {
      let parsed: CacheFile;
      try {
        parsed = JSON.parse(text) as CacheFile;
      } catch (error) {
        throw new Error(
          `${path}: landmark cache is not valid JSON (${(error as Error).message}); delete it`,
        );
      }
      if (parsed.detector === detectorName && parsed.frames && typeof parsed.frames === 'object') {
        frames = {};
        for (const [key, value] of Object.entries(parsed.frames))
          frames[key] = value === null ? null : validateLandmarks(value, `${path}: ${key}`);
      }
    }
    return new LandmarkCache(path, dataDir, detectorName, frames);
  }

  /** Landmarks of the frame at `framePath` (null: no face), detecting on `load()` if not cached. */
  async get(
    framePath: string,
    load: () => Promise<RgbImage>,
    detector: LandmarkDetector,
  ): Promise<Landmarks68 | null> {
    const key = relative(this.dataDir, framePath);
    const known = this.frames[key];
    if (known !== undefined) return known;
    const found = await detector.detect(await load());
    this.frames[key] = found;
    this.dirty = true;
    return found;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    const file: CacheFile = { detector: this.detectorName, frames: this.frames };
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, new TextEncoder().encode(`${JSON.stringify(file)}\n`));
    this.dirty = false;
  }
}
