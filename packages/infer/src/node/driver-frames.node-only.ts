/**
 * Node-only: the driver as a stream of RGB frames, from a video (ffmpeg → rgb24 pipe, one frame
 * buffered at a time, so a long clip costs constant memory) or from a folder of PNG/JPEG frames
 * (sorted by name), or from a JSON file of per-frame landmarks (no images: the frames are blank
 * and the landmarks come with them, see driver-landmarks-json). Each can be read several times
 * (the CLI makes a detection pass first).
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RgbImage } from '@th/data';
import { probeVideo, readImage } from '@th/data/node';
import { ffmpegPath, ffprobePath } from '@th/provenance/node';
import { openLandmarkDriver } from './driver-landmarks-json.node-only';

export interface DriverSource {
  kind: 'video' | 'folder' | 'landmarks';
  path: string;
  width: number;
  height: number;
  frameCount: number;
  fps: number;
  /** Frames in order, at most `limit`. */
  frames(limit?: number): AsyncGenerator<RgbImage>;
}

const IMAGE = /\.(png|jpe?g)$/i;

async function videoFps(path: string): Promise<number> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    const args = [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=r_frame_rate',
      '-of',
      'csv=p=0',
      path,
    ];
    execFile(ffprobePath(), args, (err, stdout) => {
      const [n, d] = String(stdout).trim().split('/').map(Number);
      resolve(!err && n && d ? n / d : 25);
    });
  });
}

async function* videoFrames(
  path: string,
  width: number,
  height: number,
  limit: number,
): AsyncGenerator<RgbImage> {
  const child = spawn(
    ffmpegPath(),
    [
      '-v',
      'error',
      '-i',
      path,
      '-map',
      '0:v:0',
      '-fps_mode',
      'passthrough',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4096) stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const frameBytes = width * height * 3;
  let pending: Buffer = Buffer.alloc(0);
  let count = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes && count < limit) {
        yield { width, height, data: new Uint8Array(pending.subarray(0, frameBytes)) };
        pending = pending.subarray(frameBytes);
        count++;
      }
      if (count >= limit) return;
    }
    const code = await exited;
    if (code !== 0)
      throw new Error(`${path}: ffmpeg decode failed: ${stderr.trim() || `exit ${code}`}`);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

/** Open a driver: a video file or a folder of frames. Errors name the path and the problem. */
export async function openDriver(path: string): Promise<DriverSource> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new Error(
      `${path}: driver not found (give a video file, a folder of PNG/JPEG frames or a landmarks .json)`,
    );
  }
  if (!isDir && /\.json$/i.test(path)) return openLandmarkDriver(path);
  if (isDir) {
    const files = (await readdir(path)).filter((f) => IMAGE.test(f)).sort();
    if (files.length === 0) throw new Error(`${path}: driver folder has no PNG/JPEG frames`);
    const first = (await readImage(join(path, files[0]!))).image;
    return {
      kind: 'folder',
      path,
      width: first.width,
      height: first.height,
      frameCount: files.length,
      fps: 25,
      async *frames(limit = Number.POSITIVE_INFINITY) {
        for (const f of files.slice(0, Math.min(files.length, limit)))
          yield (await readImage(join(path, f))).image;
      },
    };
  }
  const info = await probeVideo(path);
  const fps = await videoFps(path);
  return {
    kind: 'video',
    path,
    width: info.width,
    height: info.height,
    frameCount: info.frameCount,
    fps,
    frames: (limit = Number.POSITIVE_INFINITY) => videoFrames(path, info.width, info.height, limit),
  };
}
