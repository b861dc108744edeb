/**
 * Test helpers (not exported): temporary inputs built from the repository fixtures, with
 * synthetic landmark JSON beside each frame so tests can run `--landmarks json` without the
 * (slow, ~1 s per frame on 2 shared cores) face detector.
 */
import { cp, mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../fixtures/voxceleb2',
);

/** A plausible 68-point face (iBUG layout) centred in a 224² frame, shifted by `dx`. */
export function templateLandmarks(dx = 0): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < 17; i++) {
    const a = Math.PI * (i / 16);
    pts.push([112 + dx - 60 * Math.cos(a), 100 + 70 * Math.sin(a)]);
  }
  for (let i = 0; i < 5; i++) pts.push([70 + dx + 8 * i, 70 - 3 * Math.sin((Math.PI * i) / 4)]);
  for (let i = 0; i < 5; i++) pts.push([122 + dx + 8 * i, 70 - 3 * Math.sin((Math.PI * i) / 4)]);
  for (let i = 0; i < 4; i++) pts.push([112 + dx, 80 + 9 * i]);
  for (let i = 0; i < 5; i++) pts.push([100 + dx + 6 * i, 118]);
  for (const cx of [85, 139]) {
    for (let i = 0; i < 6; i++) {
      const a = (2 * Math.PI * i) / 6;
      pts.push([cx + dx + 9 * Math.cos(a), 85 - 4 * Math.sin(a)]);
    }
  }
  for (let i = 0; i < 12; i++) {
    const a = (2 * Math.PI * i) / 12;
    pts.push([112 + dx - 22 * Math.cos(a), 140 - 9 * Math.sin(a)]);
  }
  for (let i = 0; i < 8; i++) {
    const a = (2 * Math.PI * i) / 8;
    pts.push([112 + dx - 14 * Math.cos(a), 140 - 4 * Math.sin(a)]);
  }
  return pts;
}

/** Write `NNNNN_landmarks.json` beside every `NNNNN_rgb.png` below `root`. */
export async function addLandmarkJson(root: string): Promise<void> {
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    const match = /^(.*)_rgb\.png$/.exec(e.name);
    if (!e.isFile() || !match) continue;
    const dir = e.parentPath;
    await writeFile(
      join(dir, `${match[1]}_landmarks.json`),
      JSON.stringify(templateLandmarks(Number(match[1]))),
    );
  }
}

/** A temp copy of the fixture frame folders (4 ids × train/test) with landmark JSON. */
export async function tempFrameInput(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'th-data-in-'));
  await mkdir(join(root, 'frames'));
  await cp(join(FIXTURES, 'frames'), join(root, 'frames'), { recursive: true });
  await addLandmarkJson(root);
  return root;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
