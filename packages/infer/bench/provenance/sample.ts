/**
 * The real data of the provenance benchmark: the VoxCeleb2 sample's clips and frames (its path is
 * an argument), plus real photos installed with the project's dependencies or given on the command
 * line, and the landmarks the renders need (face-api, cached in the work folder because it runs
 * at about one frame per second).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import type { LandmarkDetector, Landmarks68 } from '@th/data';
import { createFaceApiDetector } from '@th/data/node';
import { openDriver } from '@th/infer/node';

export interface SampleClip {
  identity: string;
  path: string;
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

/** Every clip of `videos/<identity>/<video>/*.mp4`. */
export async function sampleClips(sample: string): Promise<SampleClip[]> {
  const out: SampleClip[] = [];
  for (const identity of await list(join(sample, 'videos')))
    for (const video of await list(join(sample, 'videos', identity)))
      for (const file of await list(join(sample, 'videos', identity, video)))
        if (file.endsWith('.mp4'))
          out.push({ identity, path: join(sample, 'videos', identity, video, file) });
  if (!out.length) throw new Error(`${sample}: no clips under videos/<identity>/<video>/*.mp4`);
  return out;
}

/** Every still of `frames/{train,test}/<identity>/<video>/combined/*_rgb.png`. */
export async function sampleFrames(sample: string): Promise<string[]> {
  const out: string[] = [];
  for (const split of ['train', 'test'])
    for (const identity of await list(join(sample, 'frames', split)))
      for (const video of await list(join(sample, 'frames', split, identity))) {
        const dir = join(sample, 'frames', split, identity, video, 'combined');
        for (const f of await list(dir)) if (f.endsWith('_rgb.png')) out.push(join(dir, f));
      }
  return out;
}

/** The source photos of an identity: `frames/train/<identity>/<video>/combined/NNNNN_rgb.png`. */
export async function trainFrames(sample: string, identity: string): Promise<string[]> {
  const base = join(sample, 'frames', 'train', identity);
  const [video] = await list(base);
  const dir = join(base, video!, 'combined');
  return (await list(dir)).filter((f) => f.endsWith('_rgb.png')).map((f) => join(dir, f));
}

/** Real photos that come with npm dependencies: face-api's demo pictures (people, 1920 px wide). */
export function bundledPhotos(): string[] {
  const req = createRequire(import.meta.url);
  const demo = join(dirname(req.resolve('@vladmandic/face-api/package.json')), 'demo');
  return [1, 2, 3, 4, 5, 6].map((i) => join(demo, `sample${i}.jpg`)).filter((p) => existsSync(p));
}

/** Images in the given files/folders (png, jpg). */
export async function extraImages(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (['.png', '.jpg', '.jpeg'].includes(extname(p).toLowerCase())) out.push(p);
    else if (existsSync(p))
      for (const f of await list(p))
        if (['.png', '.jpg', '.jpeg'].includes(extname(f).toLowerCase())) out.push(join(p, f));
  }
  return out;
}

let detector: LandmarkDetector | undefined;
/** One face-api detector for the whole run. */
export async function faceApi(): Promise<LandmarkDetector> {
  detector ??= await createFaceApiDetector();
  return detector;
}

export function disposeDetector(): void {
  detector?.dispose();
  detector = undefined;
}

/**
 * Landmarks of every frame of a clip, as a `--driver lm.json` file in `work` (detected once).
 * Returns the JSON path.
 */
export async function clipLandmarks(
  clip: SampleClip,
  work: string,
  log: (line: string) => void,
): Promise<string> {
  const out = join(work, 'landmarks', `${clip.identity}-${basename(clip.path, '.mp4')}.json`);
  if (existsSync(out)) return out;
  await mkdir(dirname(out), { recursive: true });
  const driver = await openDriver(clip.path);
  const d = await faceApi();
  const frames: (Landmarks68 | null)[] = [];
  const start = performance.now();
  for await (const frame of driver.frames(driver.frameCount)) {
    frames.push(await d.detect(frame));
    if (frames.length % 25 === 0)
      log(
        `  landmarks ${clip.identity}: ${frames.length}/${driver.frameCount} (${(frames.length / ((performance.now() - start) / 1000)).toFixed(2)} frames/s)`,
      );
  }
  const json = { width: driver.width, height: driver.height, fps: driver.fps, frames };
  await writeFile(out, JSON.stringify(json));
  return out;
}
