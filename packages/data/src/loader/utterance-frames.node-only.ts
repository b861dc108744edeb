/**
 * Node-only: decode chosen frames of one stored utterance (RGB, landmark image, segmentation),
 * resized to the loader's resolution: bilinear for images, nearest for the class map.
 */
import { readUtteranceMembers } from '../dataset/dataset-files.node-only';
import type { ManifestEntry } from '../dataset/format';
import { decodeGrayPng } from '../dataset/gray-png.node-only';
import { decodeImage } from '../image/decode-image.node-only';
import { resizeBilinear, resizeNearest } from './resize';

export interface StoredFrame {
  id: string;
  rgb: Uint8Array;
  landmarks: Uint8Array;
  segmentation: Uint8Array;
}

export interface Resolution {
  width: number;
  height: number;
}

export async function readFrames(
  dataset: string,
  entry: ManifestEntry,
  frameIds: readonly string[],
  size: Resolution,
): Promise<StoredFrame[]> {
  const members = new Map(
    (await readUtteranceMembers(dataset, entry)).map((m) => [m.name, m.data]),
  );
  const get = (id: string, suffix: string) => {
    const name = `${entry.key}/${id}.${suffix}`;
    const data = members.get(name);
    if (!data) throw new Error(`${entry.shard}: member ${name} missing`);
    return { data, name };
  };
  return frameIds.map((id) => {
    const rgb = get(id, 'rgb.png');
    const contour = get(id, 'contour.png');
    const seg = get(id, 'seg.png');
    const rgbImage = decodeImage(rgb.data, rgb.name).image;
    const lmImage = decodeImage(contour.data, contour.name).image;
    const map = decodeGrayPng(seg.data, seg.name);
    const { width: w, height: h } = rgbImage;
    return {
      id,
      rgb: resizeBilinear(rgbImage.data, w, h, 3, size.width, size.height),
      landmarks: resizeBilinear(lmImage.data, w, h, 3, size.width, size.height),
      segmentation: resizeNearest(map.values, map.width, map.height, size.width, size.height),
    };
  });
}

/** Concatenate equally sized arrays. */
export function stack(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
