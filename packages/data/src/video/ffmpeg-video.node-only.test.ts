import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectFrameIndices } from '../frames/select-frames';
import { readImage } from '../image/image-files.node-only';
import { decodeVideoFrames, probeVideo } from './ffmpeg-video.node-only';

const FIXTURES = new URL('../../../../fixtures/voxceleb2/', import.meta.url).pathname;
const CLIP = join(FIXTURES, 'videos/id00017/OLguY5ofUrY/00039.mp4');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'th-data-video-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ffmpeg video decoding', () => {
  it('probes the fixture clip: 224x224, 164 decodable frames', async () => {
    expect(await probeVideo(CLIP)).toEqual({ width: 224, height: 224, frameCount: 164 });
  });

  it("decodes LSR's selected frames to RGB, in order", async () => {
    const frames = await decodeVideoFrames(CLIP, selectFrameIndices);
    expect(frames.map((f) => f.index)).toEqual(selectFrameIndices(164));
    const first = frames[0]!.image;
    expect(first.data.length).toBe(224 * 224 * 3);
    // Sanity of the pixel content: the frame is a real face crop, not a blank buffer.
    let sum = 0;
    for (const v of first.data) sum += v;
    const mean = sum / first.data.length;
    expect(mean).toBeGreaterThan(20);
    expect(mean).toBeLessThan(235);
    // Consecutive selected frames differ (the decoder advances through the clip).
    const a = frames[0]!.image.data;
    const b = frames[9]!.image.data;
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i]! - b[i]!);
    expect(diff / a.length).toBeGreaterThan(1);
  });

  it('decoded frame 0 matches an independent ffmpeg PNG export of the same frame', async () => {
    const png = join(dir, 'f0.png');
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync('/usr/bin/ffmpeg', ['-v', 'error', '-i', CLIP, '-frames:v', '1', png]);
    expect(run.status).toBe(0);
    const reference = (await readImage(png)).image.data;
    const [frame] = await decodeVideoFrames(CLIP, [0]);
    expect(Buffer.from(frame!.image.data).equals(Buffer.from(reference))).toBe(true);
  });

  it('names the file for a truncated mp4, a text file named .mp4 and a missing file', async () => {
    const truncated = join(dir, 'truncated.mp4');
    await writeFile(truncated, (await readFile(CLIP)).subarray(0, 100_000));
    await expect(probeVideo(truncated)).rejects.toThrow(/truncated\.mp4: not a readable video/);
    const text = join(dir, 'text.mp4');
    await writeFile(text, 'this is not a video\n');
    await expect(decodeVideoFrames(text)).rejects.toThrow(/text\.mp4: not a readable video/);
    await expect(probeVideo(join(dir, 'gone.mp4'))).rejects.toThrow(
      /gone\.mp4: video file not found/,
    );
  });

  it('rejects an out-of-range frame index', async () => {
    const copy = join(dir, 'copy.mp4');
    await copyFile(CLIP, copy);
    await expect(decodeVideoFrames(copy, [164])).rejects.toThrow(/frame index 164 out of range/);
  });
});
