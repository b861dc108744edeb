import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../image/decode-image.node-only';
import { encodeGrayPng, encodeRgbPng } from '../image/image-files.node-only';
import { decodeMemberPng, encodeMemberPng } from './member-png.node-only';
import { FIXTURES } from './test-fixtures.node-only';

const frame = decodeImage(
  readFileSync(join(FIXTURES, 'frames/train/id00017/OLguY5ofUrY/00000_rgb.png')),
  'frame',
).image;

describe('member PNGs', () => {
  it('round-trip frames, landmark images and segmentations exactly', () => {
    for (const kind of ['frame', 'landmarks'] as const) {
      const png = encodeMemberPng(frame.data, 224, kind);
      expect(decodeMemberPng(png, kind, 3).data).toEqual(frame.data);
      // a standard decoder reads them too
      expect(decodeImage(png, kind).image.data).toEqual(frame.data);
    }
    const ids = Uint8Array.from({ length: 224 * 224 }, (_, i) => (i * 7) % 19);
    const png = encodeMemberPng(ids, 224, 'segmentation');
    expect(decodeMemberPng(png, 'seg', 1).data).toEqual(ids);
  });

  it('decodes PNGs with any row filters (adaptive filtering, as pngjs writes a photo) like pngjs', () => {
    const adaptive = encodeRgbPng(frame); // filter chosen per row
    expect(decodeMemberPng(adaptive, 'x', 3).data).toEqual(decodeImage(adaptive, 'x').image.data);
    const gray = encodeGrayPng(frame.data.subarray(0, 224 * 224), 224, 224);
    expect(decodeMemberPng(gray, 'g', 1).data).toEqual(frame.data.subarray(0, 224 * 224));
  });

  it('refuses what prepare does not write, naming the member', () => {
    expect(() => decodeMemberPng(encodeRgbPng(frame), 'a/00000.seg.png', 1)).toThrow(
      /a\/00000\.seg\.png: expected an 8-bit grayscale PNG/,
    );
    const cut = encodeMemberPng(frame.data, 224, 'frame').subarray(0, 3000);
    expect(() => decodeMemberPng(cut, 'b.png', 3)).toThrow(/b\.png: truncated PNG/);
    expect(() => decodeMemberPng(new Uint8Array(40), 'c.png', 3)).toThrow(/c\.png: not a PNG/);
  });
});
