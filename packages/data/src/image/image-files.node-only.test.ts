import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng, readImage, writePng } from './image-files.node-only';
import { toSignedUnit } from './rgb-image';

const FRAME = new URL(
  '../../../../fixtures/voxceleb2/frames/train/id00017/OLguY5ofUrY/00000_rgb.png',
  import.meta.url,
).pathname;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'th-data-image-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readImage / writePng', () => {
  it('reads a fixture RGB frame without notes and round-trips it through writePng', async () => {
    const { image, notes } = await readImage(FRAME);
    expect([image.width, image.height, image.data.length]).toEqual([224, 224, 224 * 224 * 3]);
    expect(notes).toEqual([]);
    const out = join(dir, 'copy.png');
    await writePng(out, image);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const back = await readImage(out);
    expect(Buffer.from(back.image.data).equals(Buffer.from(image.data))).toBe(true);
  });

  it('converts grayscale and RGBA PNGs to RGB and says so', async () => {
    const gray = join(dir, 'gray.png');
    await writeFile(gray, encodeGrayPng(Uint8Array.from([0, 50, 200, 255]), 2, 2));
    const g = await readImage(gray);
    expect(Array.from(g.image.data)).toEqual([0, 0, 0, 50, 50, 50, 200, 200, 200, 255, 255, 255]);
    expect(g.notes.join()).toMatch(/grayscale/);

    const rgba = new PNG({ width: 1, height: 1 });
    rgba.data = Buffer.from([10, 20, 30, 40]);
    const rgbaPath = join(dir, 'rgba.png');
    await writeFile(rgbaPath, PNG.sync.write(rgba, { colorType: 6 }));
    const a = await readImage(rgbaPath);
    expect(Array.from(a.image.data)).toEqual([10, 20, 30]);
    expect(a.notes.join()).toMatch(/alpha dropped/);
  });

  it('reads JPEG (lossy: within a few levels of the encoded pixels)', async () => {
    const w = 16;
    const rgba = Buffer.alloc(w * w * 4);
    for (let i = 0; i < w * w; i++) rgba.set([120, 60, 200, 255], i * 4);
    const path = join(dir, 'flat.jpg');
    await writeFile(path, jpeg.encode({ width: w, height: w, data: rgba }, 95).data);
    const { image } = await readImage(path);
    expect(image.width).toBe(w);
    for (const [i, v] of [120, 60, 200].entries())
      expect(Math.abs(image.data[i]! - v)).toBeLessThan(4);
  });

  it('names the file for a non-image, a truncated PNG and a missing file', async () => {
    const text = join(dir, 'notes.png');
    await writeFile(text, 'hello, not a picture');
    await expect(readImage(text)).rejects.toThrow(/notes\.png: not a PNG or JPEG/);
    const truncated = join(dir, 'cut.png');
    await writeFile(truncated, (await readFile(FRAME)).subarray(0, 5000));
    await expect(readImage(truncated)).rejects.toThrow(/cut\.png: cannot decode PNG/);
    await expect(readImage(join(dir, 'absent.png'))).rejects.toThrow(/absent\.png: cannot read/);
  });

  it('maps uint8 to [-1, 1] as v*2/255-1', () => {
    const out = toSignedUnit({ width: 1, height: 1, data: Uint8Array.from([0, 255, 51]) });
    expect(Array.from(out)).toEqual([-1, 1, Math.fround((51 * 2) / 255 - 1)]);
  });
});
