/**
 * Node-only: probe and decode talking-head clips with the system ffmpeg (`/usr/bin/ffmpeg`, or
 * the paths in TH_FFMPEG / TH_FFPROBE). Frames are decoded to rgb24 through a pipe; only the frames
 * the caller asks for are kept, so a long clip costs one decode pass and little memory.
 */
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import type { RgbImage } from '../image/rgb-image';

export interface VideoInfo {
  width: number;
  height: number;
  /** frames actually decodable (ffprobe -count_frames) */
  frameCount: number;
}

export interface DecodedFrame {
  index: number;
  image: RgbImage;
}

export interface FfmpegPaths {
  ffmpeg?: string;
  ffprobe?: string;
}

function toolPath(name: 'ffmpeg' | 'ffprobe', paths: FfmpegPaths): string {
  const env = name === 'ffmpeg' ? process.env.TH_FFMPEG : process.env.TH_FFPROBE;
  if (paths[name]) return paths[name]!;
  if (env) return env;
  // TH_FFMPEG pointing at a custom ffmpeg implies its sibling ffprobe.
  if (name === 'ffprobe' && process.env.TH_FFMPEG) {
    return process.env.TH_FFMPEG.replace(/ffmpeg([^/]*)$/, 'ffprobe$1');
  }
  return `/usr/bin/${name}`;
}

interface RunResult {
  code: number | null;
  stderr: string;
}

/** Spawn a tool, hand each stdout chunk to `onData`, collect stderr for error messages. */
function runTool(cmd: string, args: string[], onData: (chunk: Buffer) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8192) stderr += c.toString();
    });
    child.on('error', (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
}

async function assertReadable(path: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new Error(`${path}: video file not found or not readable`);
  }
}

/** Size and decodable frame count of the first video stream. */
export async function probeVideo(path: string, paths: FfmpegPaths = {}): Promise<VideoInfo> {
  await assertReadable(path);
  const chunks: Buffer[] = [];
  const args = ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries'];
  args.push('stream=width,height,nb_frames,nb_read_frames', '-of', 'json', path);
  const run = await runTool(toolPath('ffprobe', paths), args, (c) => chunks.push(c));
  if (run.code !== 0) {
    throw new Error(`${path}: not a readable video (ffprobe: ${run.stderr || `exit ${run.code}`})`);
  }
  const parsed = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
    streams?: { width?: number; height?: number; nb_frames?: string; nb_read_frames?: string }[];
  };
  const stream = parsed.streams?.[0];
  if (!stream?.width || !stream.height) throw new Error(`${path}: no video stream found`);
  const read = Number(stream.nb_read_frames ?? 0);
  const declared = Number(stream.nb_frames ?? Number.NaN);
  if (read === 0) throw new Error(`${path}: video stream has no decodable frames`);
  if (Number.isFinite(declared) && read < declared) {
    throw new Error(`${path}: truncated video: ${read} of ${declared} declared frames decodable`);
  }
  return { width: stream.width, height: stream.height, frameCount: read };
}

/** Which frames to keep: a list of 0-based indices, or a rule given the probed frame count. */
export type FrameChoice = readonly number[] | ((frameCount: number) => readonly number[]);

/**
 * Decode the chosen frames (0-based, decode order) to RGB; with no choice, all frames. Pass
 * `selectFrameIndices` to get LSR's ≈10 uniformly spaced frames. Throws naming the file when the
 * video is unreadable or ends before an asked-for frame.
 */
export async function decodeVideoFrames(
  path: string,
  choice?: FrameChoice,
  paths: FfmpegPaths = {},
): Promise<DecodedFrame[]> {
  const info = await probeVideo(path, paths);
  const indices = typeof choice === 'function' ? choice(info.frameCount) : choice;
  const wanted = new Set(indices ?? Array.from({ length: info.frameCount }, (_, i) => i));
  for (const i of wanted) {
    if (!Number.isInteger(i) || i < 0 || i >= info.frameCount) {
      throw new Error(
        `${path}: frame index ${i} out of range (video has ${info.frameCount} frames)`,
      );
    }
  }
  const frameBytes = info.width * info.height * 3;
  const frames: DecodedFrame[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let next = 0;
  const args = ['-v', 'error', '-i', path, '-map', '0:v:0', '-fps_mode', 'passthrough'];
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const run = await runTool(toolPath('ffmpeg', paths), args, (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= frameBytes) {
      if (wanted.has(next)) {
        const data = new Uint8Array(frameBytes);
        data.set(pending.subarray(0, frameBytes));
        frames.push({ index: next, image: { width: info.width, height: info.height, data } });
      }
      pending = pending.subarray(frameBytes);
      next++;
    }
  });
  if (run.code !== 0) throw new Error(`${path}: ffmpeg decode failed: ${run.stderr || run.code}`);
  if (frames.length !== wanted.size) {
    throw new Error(`${path}: decoded ${next} frames, fewer than the ${info.frameCount} probed`);
  }
  return frames;
}
