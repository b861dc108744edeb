/**
 * One utterance as a shard holds it: its tar members (`meta.json` first, then per frame the rgb,
 * contour and segmentation PNGs) in one byte run, and the manifest entry derived from its
 * metadata. Shared by `prepare` and the synthetic dataset writer, so both write the same format.
 */
import type { ManifestEntry, UtteranceMeta } from './format';
import { tarMember } from './tar';

/** The encoded PNGs of one frame. */
export interface FramePngs {
  rgb: Uint8Array;
  contour: Uint8Array;
  seg: Uint8Array;
}

export type UnitEntry = Omit<ManifestEntry, 'shard' | 'offset' | 'length'>;

/** Concatenate byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The utterance's tar members in one byte run; `frames[i]` belongs to `meta.frames[i]`. */
export function utteranceBytes(meta: UtteranceMeta, frames: readonly FramePngs[]): Uint8Array {
  const { key } = meta;
  const parts = [tarMember(`${key}/meta.json`, new TextEncoder().encode(JSON.stringify(meta)))];
  for (const [i, id] of meta.frames.entries()) {
    const f = frames[i]!;
    parts.push(tarMember(`${key}/${id}.rgb.png`, f.rgb));
    parts.push(tarMember(`${key}/${id}.contour.png`, f.contour));
    parts.push(tarMember(`${key}/${id}.seg.png`, f.seg));
  }
  return concatBytes(parts);
}

/** The manifest entry of an utterance (without its place in the shard). */
export function unitEntryOf(meta: UtteranceMeta, landmarkSource: string): UnitEntry {
  return {
    key: meta.key,
    identity: meta.identity,
    video: meta.video,
    utterance: meta.utterance,
    split: meta.split,
    frames: meta.frames,
    width: meta.width,
    height: meta.height,
    stages: ['frames', 'landmarks', 'contour', 'segmentation'],
    landmarkSource,
  };
}
