/**
 * Node-only: where rendered frames go. mp4 (libx264, yuv420p) and GIF (palettegen + paletteuse in
 * one filter graph) are encoded by ffmpeg from rawvideo on stdin, into a temp file that is renamed
 * over the target only when encoding succeeded (no half-written video is ever left at `path`). A
 * folder gets numbered PNGs, each written atomically. Given a provenance record, every output says
 * in its metadata that it is synthetic (MP4 comment/description/th_provenance tags, a GIF comment,
 * PNG text chunks; see @th/provenance).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { RgbImage } from '@th/data';
import { encodeRgbPng, trackTempFile, writeFileAtomic } from '@th/data/node';
import { type ProvenanceInfo, tagPng } from '@th/provenance';
import { ffmpegPath, mp4TagArgs, tagGifFile } from '@th/provenance/node';

export interface FrameWriter {
  readonly path: string;
  write(image: RgbImage): Promise<void>;
  /** Finish: flush and rename into place. */
  close(): Promise<void>;
  /** Give up: remove temp output. */
  abort(): Promise<void>;
}

export type OutputKind = 'mp4' | 'gif' | 'frames';

export function outputKind(path: string): OutputKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.mp4') return 'mp4';
  if (ext === '.gif') return 'gif';
  if (ext === '' || path.endsWith('/')) return 'frames';
  throw new Error(
    `${path}: unknown output type "${ext}" (use .mp4, .gif or a folder for PNG frames)`,
  );
}

function videoWriter(
  path: string,
  kind: 'mp4' | 'gif',
  width: number,
  height: number,
  fps: number,
  provenance?: ProvenanceInfo,
): FrameWriter {
  const temp = join(dirname(path), `.${randomBytes(4).toString('hex')}.tmp${extname(path)}`);
  const input = [
    '-v',
    'error',
    '-y',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${width}x${height}`,
    '-r',
    String(fps),
    '-i',
    'pipe:0',
  ];
  const tags = provenance && kind === 'mp4' ? mp4TagArgs(provenance) : undefined;
  const encode =
    kind === 'mp4'
      ? [
          ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
          ...['-movflags', `+faststart${tags?.movflags ?? ''}`],
          ...(tags?.metadata ?? []),
        ]
      : ['-vf', 'split[a][b];[a]palettegen[p];[b][p]paletteuse', '-loop', '0'];
  const child = spawn(ffmpegPath(), [...input, ...encode, temp], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  // Ctrl-C: the encoder is killed (it would finish the file once our end of its stdin closes).
  const untrack = trackTempFile(temp, () => child.kill('SIGKILL'));
  let stderr = '';
  let spawnError: Error | null = null;
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4096) stderr += c.toString();
  });
  child.on('error', (e) => {
    spawnError = e;
  });
  child.stdin.on('error', () => {}); // reported through the exit code instead
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  if (kind === 'mp4' && (width % 2 || height % 2))
    throw new Error(`${path}: yuv420p needs even sizes, got ${width}x${height}`);
  return {
    path,
    async write(image) {
      if (spawnError)
        throw new Error(`cannot run ${ffmpegPath()}: ${(spawnError as Error).message}`);
      if (image.width !== width || image.height !== height)
        throw new Error(
          `${path}: frame is ${image.width}x${image.height}, the video is ${width}x${height}`,
        );
      if (!child.stdin.write(image.data)) await new Promise((r) => child.stdin.once('drain', r));
    },
    async close() {
      child.stdin.end();
      const code = await exited;
      if (code !== 0 || spawnError) {
        await rm(temp, { force: true });
        untrack();
        throw new Error(
          `${path}: ffmpeg encoding failed: ${stderr.trim() || (spawnError as Error | null)?.message || `exit ${code}`}`,
        );
      }
      try {
        if (provenance && kind === 'gif') await tagGifFile(temp, provenance);
      } catch (e) {
        await rm(temp, { force: true });
        untrack();
        throw e;
      }
      await rename(temp, path);
      untrack();
    },
    async abort() {
      child.kill('SIGTERM');
      await exited;
      await rm(temp, { force: true });
      untrack();
    },
  };
}

function folderWriter(dir: string, suffix: string, provenance?: ProvenanceInfo): FrameWriter {
  let index = 0;
  return {
    path: dir,
    async write(image) {
      const file = join(dir, `${String(index).padStart(5, '0')}${suffix}.png`);
      const png = new Uint8Array(encodeRgbPng(image));
      await writeFileAtomic(file, provenance ? tagPng(png, provenance, file) : png);
      index++;
    },
    async close() {},
    async abort() {},
  };
}

/**
 * A writer for `path` (kind from its extension); `suffix` names panel frames in a folder;
 * `provenance` is written into the file's metadata.
 */
export async function createFrameWriter(
  path: string,
  size: { width: number; height: number; fps: number },
  suffix = '',
  provenance?: ProvenanceInfo,
): Promise<FrameWriter> {
  const kind = outputKind(path);
  await mkdir(kind === 'frames' ? path : dirname(path), { recursive: true });
  if (kind === 'frames') return folderWriter(path, suffix, provenance);
  return videoWriter(path, kind, size.width, size.height, size.fps, provenance);
}

/** Where the panels go for an output path: `x.mp4` → `x.panels.mp4`; a folder keeps its name. */
export function panelsPath(path: string): string {
  const kind = outputKind(path);
  if (kind === 'frames') return path;
  const ext = extname(path);
  return `${path.slice(0, -ext.length)}.panels${ext}`;
}
