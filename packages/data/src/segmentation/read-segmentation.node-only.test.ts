import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../image/image-files.node-only';
import { SEG } from './classes';
import { readSegmentationPng } from './read-segmentation.node-only';

const FIXTURE = new URL(
  '../../../../fixtures/voxceleb2/processed/id00017/OLguY5ofUrY/00000_segmap_merged.png',
  import.meta.url,
).pathname;

describe('readSegmentationPng', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'th-data-seg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the official fixture segmap (ids within 0..18, skin and cloth present)', async () => {
    const labels = await readSegmentationPng(FIXTURE, 224, 224);
    expect(Math.max(...labels)).toBeLessThanOrEqual(18);
    expect(labels.includes(SEG.skin) && labels.includes(SEG.cloth)).toBe(true);
  });

  it('rejects out-of-range ids and a wrong size, naming the file', async () => {
    const bad = join(dir, 'bad-ids.png');
    await writeFile(bad, encodeGrayPng(Uint8Array.from([0, 1, 19, 2]), 2, 2));
    await expect(readSegmentationPng(bad, 2, 2)).rejects.toThrow(
      /bad-ids\.png: class id 19 at \(0, 1\)/,
    );
    await expect(readSegmentationPng(FIXTURE, 256, 256)).rejects.toThrow(
      /is 224x224, expected 256x256/,
    );
  });
});
