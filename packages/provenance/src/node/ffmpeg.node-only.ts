/**
 * Node-only: ffmpeg / ffprobe. Paths come from TH_FFMPEG / TH_FFPROBE, else the Debian locations
 * (`scripts/setup.sh` installs the package), the same rule as the other @th packages.
 */
import { execFile, spawn } from 'node:child_process';
import type { ImageBytes } from '../image';

export function ffmpegPath(): string {
  return process.env.TH_FFMPEG || '/usr/bin/ffmpeg';
}

export function ffprobePath(): string {
  if (process.env.TH_FFPROBE) return process.env.TH_FFPROBE;
  if (process.env.TH_FFMPEG) return process.env.TH_FFMPEG.replace(/ffmpeg([^/]*)$/, 'ffprobe$1');
  return '/usr/bin/ffprobe';
}

export interface MediaInfo {
  width: number;
  height: number;
  codec: string;
  /** Container name as ffprobe reports it (e.g. "mov,mp4,m4a,3gp,3g2,mj2", "gif", "png_pipe"). */
  format: string;
  /** Container and video-stream tags (keys lower-cased). */
  tags: Record<string, string>;
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} not found` : '';
        reject(new Error(why || stderr.toString().trim() || error.message));
      } else resolve(stdout.toString());
    });
  });
}

/** Size, codec and metadata tags of the first video stream of a file. */
export async function probeMedia(path: string): Promise<MediaInfo> {
  let json: string;
  try {
    json = await run(ffprobePath(), [
      '-v',
      'error',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=width,height,codec_name:stream_tags:format=format_name:format_tags',
      '-of',
      'json',
      path,
    ]);
  } catch (e) {
    throw new Error(`${path}: cannot read as image or video (${(e as Error).message})`);
  }
  const parsed = JSON.parse(json) as {
    streams?: {
      width?: number;
      height?: number;
      codec_name?: string;
      tags?: Record<string, string>;
    }[];
    format?: { format_name?: string; tags?: Record<string, string> };
  };
  const stream = parsed.streams?.[0];
  if (!stream?.width || !stream.height) throw new Error(`${path}: no video or image stream`);
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...stream.tags, ...parsed.format?.tags }))
    tags[k.toLowerCase()] = v;
  return {
    width: stream.width,
    height: stream.height,
    codec: stream.codec_name ?? 'unknown',
    format: parsed.format?.format_name ?? 'unknown',
    tags,
  };
}

/** Decoded RGB frames of a video or image, streamed one at a time (constant memory). */
export async function* decodeFrames(
  path: string,
  size: { width: number; height: number },
  maxFrames = Number.POSITIVE_INFINITY,
): AsyncGenerator<ImageBytes> {
  const frameBytes = size.width * size.height * 3;
  const child = spawn(
    ffmpegPath(),
    [
      '-v',
      'error',
      '-nostdin',
      '-i',
      path,
      '-map',
      '0:v:0',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4096) stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e) => reject(new Error(`cannot run ${ffmpegPath()}: ${e.message}`)));
    child.on('close', resolve);
  });
  let pending: Buffer = Buffer.alloc(0);
  let count = 0;
  let readAll = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes && count < maxFrames) {
        yield { ...size, data: new Uint8Array(pending.subarray(0, frameBytes)) };
        pending = pending.subarray(frameBytes);
        count++;
      }
      if (count >= maxFrames) break;
    }
    readAll = count < maxFrames;
  } finally {
    // Stopped early (enough frames, or the caller broke off): ffmpeg is not needed any more.
    if (!readAll) child.kill('SIGTERM');
  }
  const code = await exited;
  if (readAll && code !== 0)
    throw new Error(`${path}: ffmpeg could not decode it: ${stderr.trim() || `exit ${code}`}`);
  if (count === 0) throw new Error(`${path}: no frames could be decoded`);
}
