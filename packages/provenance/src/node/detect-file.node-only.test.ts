import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDetector } from '../detect/detector';
import { createWatermarker } from '../embed/watermarker';
import type { ImageBytes } from '../image';
import { tagPng } from '../metadata/png-provenance';
import { provenanceInfo } from '../metadata/provenance-tag';
import { encodePayload, syntheticPayload } from '../scheme/payload';
import { smoothFrames } from '../testing/smooth-frames';
import { detectFile, detectPath } from './detect-file.node-only';
import { decodeFrames, ffmpegPath, probeMedia } from './ffmpeg.node-only';
import { mp4TagArgs, tagGifFile } from './mp4-tags.node-only';

const info = provenanceInfo({ version: '0.1.0', model: 'sha256:5ab0', watermark: 'th-wm/1' });
const payload = syntheticPayload('5ab0');
let dir: string;
let marked: ImageBytes[];

/** Frames → a video file with ffmpeg (rawvideo on stdin). */
function encode(frames: ImageBytes[], out: string, options: string[]): void {
  const r = spawnSync(
    ffmpegPath(),
    [
      '-v',
      'error',
      '-y',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-s',
      '64x64',
      '-r',
      '25',
      '-i',
      '-',
    ].concat(options, [out]),
    { input: Buffer.concat(frames.map((f) => Buffer.from(f.data))) },
  );
  if (r.status !== 0) throw new Error(r.stderr.toString());
}

/** A minimal RGB PNG encoder (stored rows, filter 0) to write test frames. */
function png(image: ImageBytes): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 255]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(image.width, 0);
  ihdr.writeUInt32BE(image.height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((image.width * 3 + 1) * image.height);
  for (let y = 0; y < image.height; y++)
    Buffer.from(image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3)).copy(
      raw,
      y * (image.width * 3 + 1) + 1,
    );
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'th-provenance-'));
  const marker = createWatermarker({ payload });
  marked = smoothFrames(40).map((f, i) => marker.mark(f, i));
});

describe('detectFile / detectPath (ffmpeg)', () => {
  it('an MP4 written with the tag arguments: mark, payload and tag found', async () => {
    const path = join(dir, 'marked.mp4');
    const tags = mp4TagArgs(info);
    encode(marked, path, [
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      tags.movflags,
      ...tags.metadata,
    ]);
    const r = await detectFile(path);
    expect(r).toMatchObject({ kind: 'video', width: 64, height: 64, frames: 40 });
    expect(r.watermark.present).toBe(true);
    // 40 frames after lossy coding: the payload is not always readable, but never wrong
    if (r.watermark.payload) expect(r.watermark.payload.value).toBe(encodePayload(payload));
    expect(r.metadata.provenance).toEqual(info);
    expect(r.metadata.foundIn).toMatch(/^MP4 tag /);
  });

  it('a GIF tagged in place keeps its frames, its mark and shows its comment', async () => {
    const path = join(dir, 'marked.gif');
    encode(marked, path, ['-vf', 'split[a][b];[a]palettegen[p];[b][p]paletteuse']);
    await tagGifFile(path, info);
    const r = await detectFile(path);
    expect(r.frames).toBe(40);
    expect(r.watermark.present).toBe(true);
    expect(r.metadata).toMatchObject({ provenance: info, foundIn: 'GIF comment 1' });
  });

  it('a folder: each file on its own, frames as one sequence, bad files recorded and skipped', async () => {
    const folder = join(dir, 'frames');
    mkdirSync(folder);
    marked.slice(0, 24).forEach((f, i) => {
      writeFileSync(join(folder, `${String(i).padStart(5, '0')}.png`), tagPng(png(f), info));
    });
    writeFileSync(join(folder, 'broken.png'), 'not a png');
    writeFileSync(join(folder, 'notes.txt'), 'hello');
    const r = await detectPath(folder, { sequence: true });
    expect(r.files).toHaveLength(24);
    expect(r.files.every((f) => f.kind === 'image' && f.metadata.provenance !== null)).toBe(true);
    expect(r.failed.map((f) => f.path)).toEqual([join(folder, 'broken.png')]);
    expect(r.failed[0]!.error).toMatch(/broken\.png/);
    expect(r.skipped).toEqual(['notes.txt']);
    expect(r.sequence).toMatchObject({ kind: 'sequence', frames: 24 });
    expect(r.sequence!.watermark.present).toBe(true);
    expect(r.sequence!.watermark.payload?.value).toBe(encodePayload(payload)); // lossless frames
  });

  it('unmarked video: no mark, no tag; a missing path is named', async () => {
    const path = join(dir, 'plain.mp4');
    encode(smoothFrames(40, 64, 7), path, ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']);
    const r = await detectFile(path);
    expect(r.watermark.present).toBe(false);
    expect(r.metadata.provenance).toBeNull();
    await expect(detectPath(join(dir, 'nope.mp4'))).rejects.toThrow(/nope\.mp4: no such file/);
  });
});

describe('false alarms on real content', () => {
  it('over 600 keys, a real face frame reaches falseAlarm ≤ q for at most a share q of them', async () => {
    // The bound holds over the key's randomness whatever the content; here the content is a real
    // VoxCeleb2 frame (repository fixture), detected as a still image under 600 different keys.
    const still = join(
      __dirname,
      '../../../../fixtures/voxceleb2/frames/test/id00812/pLjziqnar8U/00000_rgb.png',
    );
    const media = await probeMedia(still);
    const frames: ImageBytes[] = [];
    for await (const f of decodeFrames(still, media)) frames.push(f);
    const values: number[] = [];
    for (let k = 0; k < 600; k++) {
      const d = createDetector({ key: `calibration ${k}`, decodePayload: false });
      d.addFrame(frames[0]!);
      values.push(d.result().falseAlarm);
    }
    expectCalibrated(values, [0.02, 0.1, 0.3]);
  });

  it('over 60 keys, 12 frames of a real clip (signed sums and frame differences) stay calibrated', async () => {
    // Several frames exercise what one image does not: the sums signed by every sequence position
    // and the frame differences weighted by the change of sign (a change falls at frame 8).
    const clip = join(
      __dirname,
      '../../../../fixtures/voxceleb2/videos/id00017/OLguY5ofUrY/00039.mp4',
    );
    const small = join(dir, 'clip64.mp4');
    const args = ['-frames:v', '12', '-vf', 'scale=64:64:flags=area', '-c:v', 'libx264'];
    spawnSync(ffmpegPath(), ['-v', 'error', '-y', '-i', clip, ...args, small]);
    const frames: ImageBytes[] = [];
    for await (const f of decodeFrames(small, await probeMedia(small))) frames.push(f);
    expect(frames.length).toBe(12);
    const values: number[] = [];
    for (let k = 0; k < 60; k++) {
      const d = createDetector({ key: `calibration ${k}`, decodePayload: false });
      for (const f of frames) d.addFrame(f);
      values.push(d.result().falseAlarm);
    }
    expectCalibrated(values, [0.2, 0.5]);
  });
});

/** The share of values ≤ q is at most q (a p-value bound), with binomial slack of 3 sd. */
function expectCalibrated(values: number[], levels: number[]) {
  for (const q of levels) {
    const share = values.filter((v) => v <= q).length / values.length;
    expect(share, `q = ${q}`).toBeLessThanOrEqual(q + 3 * Math.sqrt((q * (1 - q)) / values.length));
  }
}
