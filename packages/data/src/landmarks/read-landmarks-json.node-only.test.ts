import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLandmarks } from './landmarks';
import { parseLandmarksJson, readLandmarksJson } from './read-landmarks-json.node-only';

const points = Array.from({ length: 68 }, (_, i) => [i * 1.5, 200 - i]);
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'th-data-lm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('landmark JSON', () => {
  it('reads a bare array and a {landmarks} object', async () => {
    const bare = join(dir, 'bare.json');
    await writeFile(bare, JSON.stringify(points));
    expect(await readLandmarksJson(bare)).toEqual(points);
    expect(parseLandmarksJson(JSON.stringify({ landmarks: points }), 'obj.json')[67]).toEqual([
      100.5, 133,
    ]);
  });

  it('names the file and the problem', async () => {
    expect(() => parseLandmarksJson('{oops', 'a.json')).toThrow(/a\.json: not valid JSON/);
    expect(() => parseLandmarksJson(JSON.stringify(points.slice(1)), 'b.json')).toThrow(
      /b\.json: expected 68 landmarks, got 67/,
    );
    const bad = points.map((p, i) => (i === 5 ? [p[0], null] : p));
    expect(() => parseLandmarksJson(JSON.stringify(bad), 'c.json')).toThrow(
      /c\.json: landmark 5 has a non-finite/,
    );
    expect(() =>
      validateLandmarks(
        points.map((p) => [...p, 0]),
        'd',
      ),
    ).toThrow(/d: landmark 0 is not an \[x, y\]/);
    expect(() => validateLandmarks([[Number.NaN, 1], ...points.slice(1)], 'e')).toThrow(
      /e: landmark 0/,
    );
    await expect(readLandmarksJson(join(dir, 'missing.json'))).rejects.toThrow(
      /missing\.json: cannot read/,
    );
  });
});
