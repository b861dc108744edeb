/**
 * What happens to videos in the wild, as ffmpeg commands (Debian ffmpeg 5.1 with libx264): the
 * issue's five edits, and halving plus CRF 28 at once, reported separately as beyond that list.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ffmpegPath } from '@th/provenance/node';

export interface Transform {
  id: string;
  label: string;
  /** ffmpeg output options; null: the file as @th wrote it. */
  args: string[] | null;
  ext: 'mp4' | 'gif';
  /** One of the required edits. */
  required: boolean;
}

const h264 = (crf: number) => ['-c:v', 'libx264', '-crf', String(crf), '-pix_fmt', 'yuv420p'];
// Even sizes (yuv420p needs them).
const HALF = 'scale=trunc(iw/4)*2:trunc(ih/4)*2';
const CROP_10 = 'crop=2*trunc((iw-2*round(iw/10))/2):2*trunc((ih-2*round(ih/10))/2)';

export const TRANSFORMS: Transform[] = [
  {
    id: 'as-written',
    label: 'as written by th (libx264, CRF 23)',
    args: null,
    ext: 'mp4',
    required: false,
  },
  { id: 'crf23', label: 'H.264 re-encode, CRF 23', args: h264(23), ext: 'mp4', required: true },
  { id: 'crf28', label: 'H.264 re-encode, CRF 28', args: h264(28), ext: 'mp4', required: true },
  {
    id: 'half',
    label: 'half size (bicubic), H.264 CRF 23',
    args: ['-vf', HALF, ...h264(23)],
    ext: 'mp4',
    required: true,
  },
  {
    id: 'crop10',
    label: 'crop 10 % per side, H.264 CRF 23',
    args: ['-vf', CROP_10, ...h264(23)],
    ext: 'mp4',
    required: true,
  },
  {
    id: 'gif',
    label: 'GIF (palettegen + paletteuse)',
    args: ['-vf', 'split[a][b];[a]palettegen[p];[b][p]paletteuse'],
    ext: 'gif',
    required: true,
  },
  {
    id: 'half-crf28',
    label: 'half size and CRF 28 at once',
    args: ['-vf', HALF, ...h264(28)],
    ext: 'mp4',
    required: false,
  },
];

/** Apply `t` to `src`, writing into `dir`; returns the new path (or `src` itself for as-written). */
export async function applyTransform(src: string, t: Transform, dir: string): Promise<string> {
  if (!t.args) return src;
  await mkdir(dir, { recursive: true });
  const out = join(dir, `${basename(src).replace(/\.[^.]+$/, '')}.${t.id}.${t.ext}`);
  return new Promise((resolve, reject) =>
    execFile(
      ffmpegPath(),
      ['-v', 'error', '-y', '-i', src, ...t.args!, out],
      (error, _o, stderr) =>
        error
          ? reject(new Error(`${src}: ffmpeg ${t.id} failed: ${stderr || error.message}`))
          : resolve(out),
    ),
  );
}
