import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../image/image-files.node-only';
import { readFrames } from '../loader/utterance-frames.node-only';
import { frameInputsAt } from '../render/frame-inputs';
import { readFailures, readManifest, readUtteranceMembers } from './dataset-files.node-only';
import { inspectDataset, writeContactSheet } from './inspect.node-only';
import { prepareDataset } from './prepare.node-only';
import { FIXTURES, tempDir, tempFrameInput, templateLandmarks } from './test-fixtures.node-only';
import { verifyDataset } from './verify.node-only';

const quiet = { write: () => true };

/** Re-encode a fixture frame as an 8-bit grayscale or RGBA PNG. */
async function writeVariant(from: string, to: string, kind: 'gray' | 'rgba'): Promise<void> {
  const { image } = await readImage(from);
  const png = new PNG({ width: image.width, height: image.height });
  for (let i = 0; i < image.width * image.height; i++) {
    const [r, g, b] = [image.data[i * 3]!, image.data[i * 3 + 1]!, image.data[i * 3 + 2]!];
    png.data.set(kind === 'gray' ? [r, r, r, 255] : [r, g, b, 128], i * 4);
  }
  const colorType = kind === 'gray' ? 0 : 6;
  await writeFile(to, PNG.sync.write(png, { colorType, inputColorType: 6 }));
}

describe('prepare (in-process, JSON landmarks)', () => {
  let input: string;
  let out: string;
  beforeAll(async () => {
    input = await tempFrameInput();
    const train = join(FIXTURES, 'frames/train/id00017/OLguY5ofUrY');
    // Bad inputs beside the good ones: each must be recorded and skipped, never stop the job.
    await mkdir(join(input, 'videos/id09999/textvid'), { recursive: true });
    await writeFile(join(input, 'videos/id09999/textvid/00001.mp4'), 'this is not a video\n');
    const clip = await readFile(join(FIXTURES, 'videos/id00017/OLguY5ofUrY/00039.mp4'));
    await mkdir(join(input, 'videos/id09999/cutvid'), { recursive: true });
    await writeFile(
      join(input, 'videos/id09999/cutvid/00002.mp4'),
      clip.subarray(0, clip.length >> 1),
    );
    const odd = join(input, 'frames/train/id09998/oddpngs');
    await mkdir(odd, { recursive: true });
    await writeVariant(join(train, '00000_rgb.png'), join(odd, '00000_rgb.png'), 'gray');
    await writeVariant(join(train, '00001_rgb.png'), join(odd, '00001_rgb.png'), 'rgba');
    for (const id of ['00000', '00001']) {
      await writeFile(join(odd, `${id}_landmarks.json`), JSON.stringify(templateLandmarks()));
    }
    const noJson = join(input, 'frames/train/id09997/nolandmarks');
    await mkdir(noJson, { recursive: true });
    await copyFile(join(train, '00000_rgb.png'), join(noJson, '00000_rgb.png'));
    out = await tempDir('th-data-out-');
    await prepareDataset({ input, out, shardSize: 4, workers: 0, landmarks: 'json', log: quiet });
  });

  it('writes every good utterance with its frames, sizes and stages', async () => {
    const manifest = await readManifest(out);
    expect(manifest.map((e) => e.key)).toContain('frames/train/id00017/OLguY5ofUrY');
    const train = manifest.find((e) => e.key === 'frames/train/id00061/mMOd25Ag7XY')!;
    expect(train).toMatchObject({ identity: 'id00061', split: 'train', width: 224, height: 224 });
    expect(train.frames).toEqual(['00000', '00001', '00002', '00003']);
    expect(train.stages).toEqual(['frames', 'landmarks', 'contour', 'segmentation']);
    expect(manifest.length).toBe(9); // 8 fixture folders + the grayscale/RGBA folder
    // At 224 the stored RGB is the input frame, bit for bit; landmark image and segmentation are
    // what frameInputsAt (shared with evaluation and inference) makes of frame and landmarks.
    const original = await readImage(
      join(FIXTURES, 'frames/train/id00061/mMOd25Ag7XY/00002_rgb.png'),
    );
    const [stored] = await readFrames(out, train, ['00002']);
    expect(stored!.rgb).toEqual(original.image.data);
    const expected = frameInputsAt(original.image, templateLandmarks(2), 224);
    expect(stored!.landmarkImage).toEqual(expected.landmarkImage.data);
    expect(stored!.segmentation).toEqual(expected.segmentation);
    expect(stored!.landmarks).toEqual(templateLandmarks(2));
  });

  it('stores every member at --resolution, made by frameInputsAt, with landmarks in stored pixels', async () => {
    const small = await tempDir('th-data-64-');
    const report = await prepareDataset({
      input: join(input, 'frames/test'),
      out: small,
      workers: 0,
      landmarks: 'json',
      resolution: 64,
      log: quiet,
    });
    expect(report.resolution).toBe(64);
    const entry = (await readManifest(small)).find((e) => e.identity === 'id00081')!;
    expect([entry.width, entry.height]).toEqual([64, 64]);
    const [frame] = await readFrames(small, entry, ['00001']);
    const original = await readImage(
      join(FIXTURES, 'frames/test/id00081/vvLu_7TpP8c/00001_rgb.png'),
    );
    const expected = frameInputsAt(original.image, templateLandmarks(1), 64);
    expect(frame!.rgb).toEqual(expected.rgb.data);
    expect(frame!.landmarkImage).toEqual(expected.landmarkImage.data);
    expect(frame!.segmentation).toEqual(expected.segmentation);
    // x ↦ (x + 0.5)·64/224 − 0.5: the template's first jaw point (53, 100) lands at x = 14.79.
    expect(templateLandmarks(1)[0]).toEqual([53, 100]);
    expect(frame!.landmarks[0]![0]).toBeCloseTo(53.5 * (64 / 224) - 0.5, 10);
    // Same input, other resolution into the same folder: refused, naming the settings.
    await expect(
      prepareDataset({
        input: join(input, 'frames/test'),
        out: small,
        workers: 0,
        landmarks: 'json',
        log: quiet,
      }),
    ).rejects.toThrow(/made with other settings .*"resolution":64/);
  });

  it('--landmarks FILE gives the same dataset as the per-frame JSON files it holds', async () => {
    const root = join(input, 'frames/test');
    const file = join(await tempDir('th-data-lmfile-'), 'landmarks.json');
    const map: Record<string, unknown> = {};
    for (const e of await (await import('node:fs/promises')).readdir(root, { recursive: true })) {
      const m = /^(.*)_rgb\.png$/.exec(String(e));
      if (m) map[String(e)] = templateLandmarks(Number(m[1]!.slice(-5)));
    }
    await writeFile(file, JSON.stringify(map));
    const a = await tempDir('th-data-lm-a-');
    const b = await tempDir('th-data-lm-b-');
    await prepareDataset({ input: root, out: a, workers: 0, landmarks: 'json', log: quiet });
    await prepareDataset({ input: root, out: b, workers: 0, landmarks: { file }, log: quiet });
    const shard = 'shards/shard-000000.tar';
    // The shard bytes are the same; only the manifest names the landmark source.
    expect((await readManifest(b)).map((e) => e.landmarkSource)).toEqual([
      'file',
      'file',
      'file',
      'file',
    ]);
    expect((await readFile(join(a, shard))).equals(await readFile(join(b, shard)))).toBe(true);
    const missing = join(await tempDir('th-data-lmfile-'), 'partial.json');
    await writeFile(missing, JSON.stringify({ 'id00017/OLguY5ofUrY/00000_rgb.png': null }));
    const c = await tempDir('th-data-lm-c-');
    await prepareDataset({
      input: root,
      out: c,
      workers: 0,
      landmarks: { file: missing },
      log: quiet,
    });
    const failures = await readFailures(c);
    expect(failures.find((f) => f.key === 'id00017/OLguY5ofUrY')!.reason).toMatch(
      /no face found \(00000_rgb.png\)/,
    );
    expect(failures.find((f) => f.key === 'id00061/mMOd25Ag7XY')!.reason).toMatch(
      /has no landmarks for id00061\/mMOd25Ag7XY\/00000_rgb.png/,
    );
  });

  it('records bad inputs with the file and reason and keeps going', async () => {
    const failures = await readFailures(out);
    const byKey = Object.fromEntries(failures.map((f) => [f.key, f]));
    expect(failures.length).toBe(3);
    expect(byKey['videos/id09999/textvid/00001']!.file).toMatch(/textvid\/00001.mp4$/);
    expect(byKey['videos/id09999/textvid/00001']!.reason).toMatch(/not a readable video/);
    expect(byKey['videos/id09999/cutvid/00002']!.reason).toMatch(/video|truncated|decod/i);
    expect(byKey['frames/train/id09997/nolandmarks']!.file).toMatch(/00000_landmarks.json$/);
  });

  it('converts grayscale and RGBA frames and notes it in the utterance metadata', async () => {
    const entry = (await readManifest(out)).find((e) => e.identity === 'id09998')!;
    const members = await readUtteranceMembers(out, entry);
    const meta = JSON.parse(
      new TextDecoder().decode(members.find((m) => m.name.endsWith('meta.json'))!.data),
    );
    expect(meta.notes).toEqual([
      '00000_rgb.png: grayscale PNG converted to RGB (gray copied to R, G and B)',
      '00001_rgb.png: RGBA PNG converted to RGB; alpha dropped (not composited)',
    ]);
  });

  it('verify passes, then names the shard whose bytes changed', async () => {
    expect((await verifyDataset(out)).problems).toEqual([]);
    const copy = await tempDir('th-data-verify-');
    const { cp } = await import('node:fs/promises');
    await cp(out, copy, { recursive: true });
    const shard = join(copy, 'shards/shard-000000.tar');
    const bytes = await readFile(shard);
    bytes[5000] = bytes[5000]! ^ 1;
    await writeFile(shard, bytes);
    const report = await verifyDataset(copy);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatch(/shard-000000.tar: SHA-256 mismatch/);
  });

  it('inspect counts and draws a contact sheet of rgb | landmarks | segmentation', async () => {
    const report = await inspectDataset(out);
    expect(report).toMatchObject({ utterances: 9, frames: 26, identities: 5, failures: 3 });
    expect(report.splits).toEqual({ train: 5, test: 4 });
    const sheet = join(out, 'sheet.png');
    expect(await writeContactSheet(out, sheet, 3)).toEqual({ width: 672, height: 672 });
    const { image } = await readImage(sheet);
    // Row 0, column 0 is the first utterance's first frame.
    const first = await readImage(join(FIXTURES, 'frames/test/id00017/OLguY5ofUrY/00000_rgb.png'));
    expect(Array.from(image.data.subarray(0, 3))).toEqual(
      Array.from(first.image.data.subarray(0, 3)),
    );
  });

  it('fails clearly on an empty input folder', async () => {
    const empty = await tempDir('th-data-empty-');
    await expect(
      prepareDataset({ input: empty, out: await tempDir('th-o-'), workers: 0, log: quiet }),
    ).rejects.toThrow(
      `${empty}: no videos (.mp4) or frame images (.png/.jpg) found in this folder`,
    );
  });
});
