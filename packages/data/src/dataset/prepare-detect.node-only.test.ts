/**
 * prepare with the real face-api detector: the fixture clip (LSR's frame selection, landmarks
 * detected) and a frame with no face (a black frame), which must be recorded and skipped.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipFrameRule, selectFrameIndices } from '../frames/select-frames';
import { writePng } from '../image/image-files.node-only';
import { probeVideo } from '../video/ffmpeg-video.node-only';
import { readFailures, readManifest } from './dataset-files.node-only';
import { prepareDataset } from './prepare.node-only';
import { FIXTURES, tempDir } from './test-fixtures.node-only';

describe('prepare with face-api landmarks', () => {
  const clip = join(FIXTURES, 'videos/id00017/OLguY5ofUrY/00039.mp4');
  let out: string;
  beforeAll(async () => {
    const input = await tempDir('th-data-detect-');
    await mkdir(join(input, 'id00017/OLguY5ofUrY'), { recursive: true });
    await copyFile(clip, join(input, 'id00017/OLguY5ofUrY/00039.mp4'));
    const blank = join(input, 'id00001/blankvid/00007');
    await mkdir(blank, { recursive: true });
    await writePng(join(blank, '00000_rgb.png'), {
      width: 224,
      height: 224,
      data: new Uint8Array(224 * 224 * 3),
    });
    out = await tempDir('th-data-detect-out-');
    await prepareDataset({ input, out, workers: 0, log: { write: () => true } });
  });

  it('stores the clip with LSR frame selection and detected landmarks', async () => {
    const [entry] = await readManifest(out);
    const { frameCount } = await probeVideo(clip);
    const expected = selectFrameIndices(frameCount).map((i) => String(i).padStart(5, '0'));
    expect(entry).toMatchObject({ identity: 'id00017', video: 'OLguY5ofUrY', utterance: '00039' });
    expect(entry!.frames).toEqual(expected);
    expect(entry!.landmarkSource).toBe('face-api');
  });

  it('records the frame with no face, naming the file, and skips its utterance', async () => {
    const failures = await readFailures(out);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.key).toBe('id00001/blankvid/00007');
    expect(failures[0]!.file).toMatch(/blankvid\/00007\/00000_rgb.png$/);
    expect(failures[0]!.reason).toMatch(/no face found/);
    expect((await readManifest(out)).map((e) => e.key)).toEqual(['id00017/OLguY5ofUrY/00039']);
  });

  it('--clip-frames keeps up to N frames spread over the clip, and is part of the settings', async () => {
    const input = await tempDir('th-data-clipframes-');
    await mkdir(join(input, 'id00017/OLguY5ofUrY'), { recursive: true });
    await copyFile(clip, join(input, 'id00017/OLguY5ofUrY/00039.mp4'));
    const more = await tempDir('th-data-clipframes-out-');
    const quiet = { write: () => true };
    const report = await prepareDataset({
      input,
      out: more,
      workers: 0,
      resolution: 64,
      clipFrames: 24,
      log: quiet,
    });
    const { frameCount } = await probeVideo(clip);
    const expected = clipFrameRule(24)(frameCount);
    // 164 frames: stride 7, 24 frames (LSR's rule keeps 10).
    expect(expected).toHaveLength(24);
    const [entry] = await readManifest(more);
    expect(entry!.frames).toEqual(expected.map((i) => String(i).padStart(5, '0')));
    expect(report.settings).toContain('"clipFrames":24');
    await expect(
      prepareDataset({ input, out: more, workers: 0, resolution: 64, log: quiet }),
    ).rejects.toThrow(/made with other settings .*"clipFrames":24/);
  });
});
