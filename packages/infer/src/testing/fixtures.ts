/** Test helper: fixture paths, a temp checkpoint of the random-init lsr-64 model, ffprobe. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodeCheckpoint } from '@th/models';
import { smallModel } from './model';

export const FIXTURES = resolve(__dirname, '../../../../fixtures/voxceleb2');
export const CLIP = join(FIXTURES, 'videos/id00017/OLguY5ofUrY/00039.mp4');
export const SOURCES = [0, 1, 2, 3].map((i) =>
  join(FIXTURES, `frames/train/id00017/OLguY5ofUrY/0000${i}_rgb.png`),
);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'th-infer-'));
}

/**
 * Save a random-init lsr-64 model (with D) as a checkpoint file; returns its path. `extra`: the
 * metadata th-train would add (e.g. `{ train: { losses, vgg19, seed } }`).
 */
export async function writeSmallCheckpoint(
  dir: string,
  seed = 0,
  extra?: Record<string, unknown>,
): Promise<string> {
  const model = smallModel(seed);
  const bytes = await encodeCheckpoint(model.stateDict(), {
    config: model.config,
    preset: 'lsr-64',
    step: 0,
    versions: { '@th/infer': 'test' },
    ...(extra ? { extra } : {}),
  });
  model.dispose();
  const path = join(dir, 'lsr-64-random.safetensors');
  writeFileSync(path, bytes);
  return path;
}

export interface ProbedStream {
  codec_name: string;
  width: number;
  height: number;
  pix_fmt?: string;
  nb_read_frames: string;
}

export function ffprobe(path: string): ProbedStream {
  const json = execFileSync('/usr/bin/ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_frames',
    '-show_entries',
    'stream=codec_name,width,height,pix_fmt,nb_read_frames',
    '-of',
    'json',
    path,
  ]).toString();
  return (JSON.parse(json) as { streams: ProbedStream[] }).streams[0]!;
}
