/**
 * The provenance acceptance test: `th reenact` renders the fixture clip's motion with the bundled
 * model (its landmarks come from the committed fixtures/voxceleb2/clip-landmarks.json, so no
 * detector runs on the driver), ffmpeg re-encodes the output at CRF 28 and at half size, and
 * `th detect` finds the mark, reads the payload and the metadata; the unmarked driver clip itself
 * shows no mark.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '@th/backend';
import type { LandmarkDetector, Landmarks68 } from '@th/data';
import { modelIdFromSha256 } from '@th/provenance';
import { ffmpegPath, type PathReport } from '@th/provenance/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../model/load-model';
import { bundledModelPath } from '../node/bundled-model.node-only';
import { CLIP, FIXTURES, SOURCES, tempDir } from '../testing/fixtures';
import { th } from '../testing/run-th';

/** The sources' landmarks from the committed fixture file, in the order reenact asks for them. */
function fixtureSourceDetector(): LandmarkDetector {
  const stored = JSON.parse(readFileSync(join(FIXTURES, 'landmarks.json'), 'utf8')) as Record<
    string,
    Landmarks68 | null
  >;
  let call = 0;
  return {
    async detect() {
      const i = call++;
      const lm = stored[`train/id00017/OLguY5ofUrY/0000${i}_rgb.png`];
      if (!lm) throw new Error(`fixture detector: no stored landmarks for source ${i}`);
      return lm;
    },
    dispose() {},
  };
}

async function detect(path: string): Promise<PathReport> {
  const r = await th(['detect', path, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as PathReport;
}

function ffmpeg(input: string, output: string, options: string[]): string {
  execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-i', input, ...options, output]);
  return output;
}

let dir: string;
let out: string;
let sha: string;

beforeAll(async () => {
  await init({ backend: 'wasm' });
  dir = tempDir();
  out = join(dir, 'out.mp4');
  const loaded = await loadModel(bundledModelPath());
  sha = loaded.meta.dataSha256;
  loaded.model.dispose();
  const args = [
    'reenact',
    '--source',
    ...SOURCES,
    '--driver',
    join(FIXTURES, 'clip-landmarks.json'),
  ];
  const r = await th(
    [...args, '--out', out, '--backend', 'wasm', '--quiet'],
    fixtureSourceDetector(),
  );
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/wrote 164 frames/);
});

describe('th detect on th reenact output', () => {
  it('finds the mark, the payload and the metadata in the video as written', async () => {
    const [file] = (await detect(out)).files;
    expect(file!.watermark.present).toBe(true);
    expect(file!.watermark.falseAlarm).toBeLessThan(1e-12);
    expect(file!.watermark.payload).toMatchObject({
      version: 1,
      synthetic: true,
      modelId: modelIdFromSha256(sha),
    });
    expect(file!.metadata.provenance).toMatchObject({
      synthetic: true,
      model: `sha256:${sha}`,
      preset: 'lsr-64',
      watermark: 'th-wm/1',
    });
  });

  it('finds the mark after re-encoding at CRF 28, and after halving the size', async () => {
    const crf28 = ffmpeg(out, join(dir, 'crf28.mp4'), ['-c:v', 'libx264', '-crf', '28']);
    const half = ffmpeg(out, join(dir, 'half.mp4'), ['-vf', 'scale=iw/2:ih/2', '-c:v', 'libx264']);
    for (const path of [crf28, half]) {
      const [file] = (await detect(path)).files;
      expect(file!.watermark.present, path).toBe(true);
      expect(file!.watermark.falseAlarm, path).toBeLessThan(1e-4);
      // a payload, when one is read, must be the right one
      if (file!.watermark.payload)
        expect(file!.watermark.payload.modelId).toBe(modelIdFromSha256(sha));
    }
    expect((await detect(half)).files[0]!.height).toBe(32);
  });

  it('finds no mark and no tag in the unmarked driver clip', async () => {
    const [file] = (await detect(CLIP)).files;
    expect(file!.frames).toBe(164);
    expect(file!.watermark.present).toBe(false);
    expect(file!.watermark.falseAlarm).toBeGreaterThan(1e-3);
    expect(file!.metadata.provenance).toBeNull();
  });

  it('prints a readable verdict, and names a missing file', async () => {
    const r = await th(['detect', out, '--quiet']);
    expect(r.stdout).toMatch(/WATERMARK FOUND \(th-wm\/1\), video 64x64, 164 frames/);
    expect(r.stdout).toMatch(/metadata: says synthetic/);
    const missing = await th(['detect', join(dir, 'nope.mp4')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.mp4: no such file or folder/);
  });
});
