/**
 * Node-only: `inspect`: counts (utterances, frames, identities, splits, failures by reason) and a
 * contact sheet PNG: one row per utterance showing its first frame, landmark image and
 * segmentation (class ids coloured with CLASS_PALETTE).
 */
import { decodeImage } from '../image/decode-image.node-only';
import { encodeRgbPng, writeFileAtomic } from '../image/image-files.node-only';
import type { RgbImage } from '../image/rgb-image';
import { colourClassMap } from '../segmentation/class-palette';
import { readFailures, readManifest, readUtteranceMembers } from './dataset-files.node-only';
import { decodeGrayPng } from './gray-png.node-only';

export interface InspectReport {
  utterances: number;
  frames: number;
  identities: number;
  splits: Record<string, number>;
  failures: number;
  failureReasons: Record<string, number>;
}

export async function inspectDataset(dataset: string): Promise<InspectReport> {
  const manifest = await readManifest(dataset);
  const failures = await readFailures(dataset);
  const splits: Record<string, number> = {};
  for (const e of manifest) splits[e.split || '-'] = (splits[e.split || '-'] ?? 0) + 1;
  const failureReasons: Record<string, number> = {};
  for (const f of failures) {
    // Group by the reason's wording without frame numbers and counts.
    const reason = f.reason.replace(/\d+/g, 'N');
    failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
  }
  return {
    utterances: manifest.length,
    frames: manifest.reduce((n, e) => n + e.frames.length, 0),
    identities: new Set(manifest.map((e) => e.identity)).size,
    splits,
    failures: failures.length,
    failureReasons,
  };
}

const pixelOf =
  (img: RgbImage) =>
  (x: number, y: number): [number, number, number] => {
    const i = (y * img.width + x) * 3;
    return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
  };

/** Write a contact sheet of the first `rows` utterances to `path`; returns its size. */
export async function writeContactSheet(
  dataset: string,
  path: string,
  rows = 8,
): Promise<{ width: number; height: number }> {
  const manifest = (await readManifest(dataset)).slice(0, rows);
  if (manifest.length === 0) throw new Error(`${dataset}: no utterances to show`);
  const w = Math.max(...manifest.map((e) => e.width));
  const h = Math.max(...manifest.map((e) => e.height));
  const sheet = {
    width: 3 * w,
    height: manifest.length * h,
    data: new Uint8Array(9 * w * h * manifest.length),
  };
  const put = (
    row: number,
    col: number,
    pixel: (x: number, y: number) => [number, number, number],
    ew: number,
    eh: number,
  ) => {
    for (let y = 0; y < eh; y++) {
      for (let x = 0; x < ew; x++) {
        const at = ((row * h + y) * sheet.width + col * w + x) * 3;
        sheet.data.set(pixel(x, y), at);
      }
    }
  };
  for (const [row, e] of manifest.entries()) {
    const members = await readUtteranceMembers(dataset, e);
    const frame = e.frames[0]!;
    const get = (suffix: string) => {
      const m = members.find((mm) => mm.name === `${e.key}/${frame}.${suffix}`);
      if (!m) throw new Error(`${e.shard}: utterance ${e.key} lacks ${frame}.${suffix}`);
      return m.data;
    };
    for (const [col, suffix] of (['rgb.png', 'contour.png'] as const).entries()) {
      const img = decodeImage(get(suffix), `${e.key}/${frame}.${suffix}`).image;
      put(row, col, pixelOf(img), e.width, e.height);
    }
    const seg = decodeGrayPng(get('seg.png'), `${e.key}/${frame}.seg.png`);
    put(row, 2, pixelOf(colourClassMap(seg.values, seg.width, seg.height)), e.width, e.height);
  }
  await writeFileAtomic(path, encodeRgbPng(sheet));
  return { width: sheet.width, height: sheet.height };
}
