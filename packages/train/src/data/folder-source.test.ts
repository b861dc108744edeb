import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LandmarkDetector, type Landmarks68, renderLandmarkImage } from '@th/data/node';
import { describe, expect, it } from 'vitest';
import { FIXTURE_LANDMARKS, fixtureStores } from '../smoke/fixture-stores';
import { loadFolderStore } from './folder-source';

const fixtures = new URL('../../../../fixtures/voxceleb2/frames/', import.meta.url).pathname;

/** A stand-in detector: a ring of 68 points whose radius follows the image's mean intensity. */
function stubDetector(): LandmarkDetector & { calls: number } {
  const d = {
    calls: 0,
    async detect(image: { width: number; height: number; data: Uint8Array }) {
      d.calls++;
      let sum = 0;
      for (let i = 0; i < image.data.length; i += 97) sum += image.data[i]!;
      const r = 40 + sum / Math.ceil(image.data.length / 97) / 8;
      return Array.from({ length: 68 }, (_, i) => [
        112 + r * Math.cos((2 * Math.PI * i) / 68),
        112 + r * Math.sin((2 * Math.PI * i) / 68),
      ]) as unknown as Landmarks68;
    },
    dispose() {},
  };
  return d as unknown as LandmarkDetector & { calls: number };
}

describe('loadFolderStore', () => {
  it('keeps train and hold-out landmarks apart in one shared cache, and reuses it', async () => {
    const cache = join(mkdtempSync(join(tmpdir(), 'th-cache-')), 'landmarks.json');
    const detector = stubDetector();
    const opts = { resolution: 32, landmarkCache: cache, detector };
    const train = await loadFolderStore(join(fixtures, 'train'), opts);
    const test = await loadFolderStore(join(fixtures, 'test'), opts);
    // 4 identities x 4 train frames, 4 x 2 test frames: every frame detected once.
    expect(detector.calls).toBe(24);
    const keys = Object.keys(JSON.parse(readFileSync(cache, 'utf8')));
    expect(keys.filter((k) => k.startsWith('train/'))).toHaveLength(16);
    expect(keys.filter((k) => k.startsWith('test/'))).toHaveLength(8);
    // The same relative file name in train/ and test/ is a different frame with different landmarks.
    const trainFirst = train.videos[0]!.frames[0]!;
    const testFirst = test.videos[0]!.frames[0]!;
    expect(trainFirst.id).not.toBe(testFirst.id);
    expect(Array.from(trainFirst.landmarks)).not.toEqual(Array.from(testFirst.landmarks));
    // A second load is served from the cache and gives identical frames.
    const again = await loadFolderStore(join(fixtures, 'test'), opts);
    expect(detector.calls).toBe(24);
    expect(Array.from(again.videos[0]!.frames[0]!.landmarks)).toEqual(
      Array.from(testFirst.landmarks),
    );
    expect(train.videos[0]!.frames[0]!.rgb.length).toBe(32 * 32 * 3);
  });
});

describe('loadFolderStore resampling (fixtures, committed landmarks)', () => {
  it('keeps the ink of the landmark contours: 64x64 and 224x224 hold the same mean intensity', async () => {
    // Area averaging over equal footprints preserves the mean up to uint8 rounding (measured
    // <= 0.06 % here); bilinear at 224 -> 64 reads 2x2 of the ~3.5x3.5 covered pixels and gains or
    // loses up to 4.4 % of the thin strokes' ink on these frames.
    const { train } = await fixtureStores(64);
    const cache = JSON.parse(readFileSync(FIXTURE_LANDMARKS, 'utf8')) as Record<
      string,
      Landmarks68
    >;
    const meanByte = (values: ArrayLike<number>, signed: boolean) => {
      let sum = 0;
      for (let i = 0; i < values.length; i++)
        sum += signed ? ((values[i]! + 1) * 255) / 2 : values[i]!;
      return sum / values.length;
    };
    const frames = train.videos.flatMap((v) => v.frames);
    expect(frames).toHaveLength(16);
    for (const frame of frames) {
      const full = renderLandmarkImage(cache[`${frame.id}_rgb.png`]!, { width: 224, height: 224 });
      const ink = meanByte(full.data, false);
      expect(ink).toBeGreaterThan(1); // the contours are there at all
      expect(Math.abs(meanByte(frame.landmarks, true) / ink - 1)).toBeLessThan(0.005);
    }
  });
});
