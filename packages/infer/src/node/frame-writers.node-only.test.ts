import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '@th/data';
import { parseProvenanceTag, provenanceInfo, readGifComments, readPngText } from '@th/provenance';
import { probeMedia, readFileMetadata } from '@th/provenance/node';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { createFrameWriter } from './frame-writers.node-only';

const info = provenanceInfo({
  version: '0.1.0',
  model: 'sha256:abc',
  preset: 'lsr-64',
  watermark: 'th-wm/1',
});
const frame = (v: number): RgbImage => ({
  width: 16,
  height: 16,
  data: new Uint8Array(16 * 16 * 3).fill(v),
});

async function write(path: string) {
  const w = await createFrameWriter(path, { width: 16, height: 16, fps: 25 }, '', info);
  await w.write(frame(40));
  await w.write(frame(200));
  await w.close();
}

describe('frame writers tag every output as synthetic', () => {
  it('MP4: comment, description and th_provenance tags', async () => {
    const path = join(tempDir(), 'o.mp4');
    await write(path);
    const media = await probeMedia(path);
    expect(parseProvenanceTag(media.tags.comment!)).toEqual(info);
    expect(parseProvenanceTag(media.tags.description!)).toEqual(info);
    expect(JSON.parse(media.tags.th_provenance!)).toEqual(info);
    expect((await readFileMetadata(path, media)).provenance).toEqual(info);
  });
  it('GIF: a comment extension; PNG frames: text chunks', async () => {
    const dir = tempDir();
    await write(join(dir, 'o.gif'));
    expect(parseProvenanceTag(readGifComments(readFileSync(join(dir, 'o.gif')))[0]!)).toEqual(info);
    await write(join(dir, 'frames'));
    const text = readPngText(readFileSync(join(dir, 'frames', '00001.png')));
    expect(text.map((t) => t.keyword)).toEqual(['Description', 'Software', 'th:provenance']);
    expect(parseProvenanceTag(text[0]!.text)).toEqual(info);
  });
});
