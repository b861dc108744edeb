/**
 * face-api on tfjs-core alone (without the 141 MB `@tensorflow/tfjs` union package) gives the
 * landmarks face-api gave with it: fixtures/voxceleb2/landmarks.json was written by face-api's
 * Node build on the union package (scripts/fixture-landmarks.mjs: each video folder one utterance,
 * the face found on its first frame and tracked), before this loader existed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../image/image-files.node-only';
import { createFaceApiDetector } from './face-api-detector.node-only';
import type { Landmarks68 } from './landmarks';

const FIXTURES = new URL('../../../../fixtures/voxceleb2/', import.meta.url).pathname;
// Two utterances as the fixture script saw them (detection, then tracking).
const VIDEOS = ['train/id00017/OLguY5ofUrY', 'test/id00061/mMOd25Ag7XY'];

describe('face-api loaded on tfjs-core', () => {
  it('reproduces the landmarks face-api computed on the union package, to 1e-3 px', async () => {
    const committed = JSON.parse(
      await readFile(join(FIXTURES, 'landmarks.json'), 'utf8'),
    ) as Record<string, Landmarks68 | null>;
    const detector = await createFaceApiDetector();
    for (const video of VIDEOS) {
      const names = (await readdir(join(FIXTURES, 'frames', video))).sort();
      const frames = [];
      for (const n of names)
        frames.push((await readImage(join(FIXTURES, 'frames', video, n))).image);
      const ours = await detector.detectSequence!(frames);
      names.forEach((n, f) => {
        const key = `${video}/${n}`;
        const theirs = committed[key];
        expect(theirs, key).toBeTruthy();
        expect(ours[f], key).not.toBeNull();
        let worst = 0;
        ours[f]!.forEach(([x, y], i) => {
          const [u, v] = theirs![i]!;
          worst = Math.max(worst, Math.abs(x - u), Math.abs(y - v));
        });
        expect(worst, key).toBeLessThan(1e-3);
      });
    }
    detector.dispose();
    // and the union package was never loaded
    const cache = Object.keys(createRequire(import.meta.url).cache);
    expect(cache.some((file) => file.includes('face-api.node-wasm.js'))).toBe(false); // not via require
    expect(cache.filter((file) => /[\\/]@tensorflow[\\/]tfjs[\\/]/.test(file))).toEqual([]);
  });
});
