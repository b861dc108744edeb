import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '@th/backend';
import type { LandmarkDetector } from '@th/data';
import { landmarkImageAt, mapLandmarks, squareFit } from '@th/data';
import { readImage } from '@th/data/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli';
import { SOURCES, tempDir, writeSmallCheckpoint } from '../testing/fixtures';
import { syntheticFace } from '../testing/synthetic-face';
import { openDriver } from './driver-frames.node-only';
import { parseDriverLandmarks } from './driver-landmarks-json.node-only';

const face = syntheticFace(224);

describe('driver landmark JSON: validation names the file, the frame and the problem', () => {
  it('accepts the format, with null for a faceless frame and fps defaulting to 25', () => {
    const parsed = parseDriverLandmarks(
      { width: 300, height: 224, frames: [face, null] },
      'a.json',
    );
    expect(parsed.fps).toBe(25);
    expect(parsed.frames[1]).toBeNull();
    expect(parsed.frames[0]![30]).toEqual(face[30]);
  });

  it('rejects bad files', () => {
    const bad = (value: unknown) => () => parseDriverLandmarks(value, 'lm.json');
    expect(bad([face])).toThrow(/^lm.json: expected an object \{"width"/);
    expect(bad({ width: 0, height: 224, frames: [face] })).toThrow(/lm.json: "width" and "height"/);
    expect(bad({ width: 224, height: 224, frames: [] })).toThrow(
      /lm.json: "frames" must be a non-empty/,
    );
    expect(bad({ width: 224, height: 224, fps: -1, frames: [face] })).toThrow(/lm.json: "fps"/);
    expect(bad({ width: 224, height: 224, frames: [face, face.slice(1)] })).toThrow(
      'lm.json: frame 1: expected 68 landmarks, got 67',
    );
    const nan = face.map((p, i) => (i === 5 ? [p[0], 'x'] : p));
    expect(bad({ width: 224, height: 224, frames: [face, face, nan] })).toThrow(
      /^lm.json: frame 2: /,
    );
  });

  it('a missing or broken file is named', async () => {
    const dir = tempDir();
    await expect(openDriver(join(dir, 'none.json'))).rejects.toThrow(/none.json: driver not found/);
    writeFileSync(join(dir, 'broken.json'), '{"width": 2,');
    await expect(openDriver(join(dir, 'broken.json'))).rejects.toThrow(
      /broken.json: not valid JSON/,
    );
  });
});

describe('th reenact --driver landmarks.json', () => {
  let dir: string;
  let checkpoint: string;
  beforeAll(async () => {
    await init({ backend: 'wasm' });
    dir = tempDir();
    checkpoint = await writeSmallCheckpoint(dir);
  });

  it('renders the given landmarks (not detected ones) with a blank driver panel', async () => {
    const frames = [syntheticFace(224, 0), syntheticFace(224, 1, 6), syntheticFace(224, 0.5, -6)];
    const lmPath = join(dir, 'driver.json');
    writeFileSync(lmPath, JSON.stringify({ width: 224, height: 224, frames }));
    let detectorCalls = 0;
    const detector: LandmarkDetector = {
      async detect(image) {
        detectorCalls++;
        return syntheticFace(image.width);
      },
      dispose() {},
    };
    let stderr = '';
    const out = join(dir, 'from-json');
    const code = await runCli(
      [
        ...['reenact', '--checkpoint', checkpoint, '--source', ...SOURCES],
        ...['--driver', lmPath, '--out', out, '--panels', '--backend', 'wasm', '--quiet'],
      ],
      { stdout: () => {}, stderr: (s) => (stderr += s), detector },
    );
    expect(stderr).toMatch(/driver is a landmark file, so the driver panel of --panels is blank/);
    expect(code).toBe(0);
    expect(detectorCalls).toBe(SOURCES.length); // only the source photos were detected
    expect(readdirSync(out).filter((f) => /^\d+\.png$/.test(f))).toHaveLength(3);
    const fit = squareFit(224, 224, 64);
    for (const [i, lm] of frames.entries()) {
      const panels = (await readImage(join(out, `0000${i}_panels.png`))).image;
      const expected = landmarkImageAt(mapLandmarks(lm, fit), 64);
      for (let y = 0; y < 64; y++)
        for (let x = 0; x < 64; x++)
          for (let c = 0; c < 3; c++) {
            const at = (panel: number) => panels.data[(y * 256 + panel * 64 + x) * 3 + c]!;
            expect(at(0)).toBe(0); // no driver image
            expect(at(1)).toBe(expected.data[(y * 64 + x) * 3 + c]);
          }
    }
  });
});
