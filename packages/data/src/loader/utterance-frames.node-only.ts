/**
 * Node-only: chosen frames of one stored utterance as the dataset holds them (R×R): RGB, landmark
 * image, segmentation and the 68 landmarks (in R×R pixels). No resampling: every consumer reads
 * the dataset at the resolution it was prepared at.
 */
import { readUtteranceMembers } from '../dataset/dataset-files.node-only';
import type { ManifestEntry, UtteranceMeta } from '../dataset/format';
import { decodeMemberPng } from '../dataset/member-png.node-only';
import type { StoredFrame } from './stored-frame';

export async function readFrames(
  dataset: string,
  entry: ManifestEntry,
  frameIds: readonly string[],
): Promise<StoredFrame[]> {
  const members = new Map(
    (await readUtteranceMembers(dataset, entry)).map((m) => [m.name, m.data]),
  );
  const get = (name: string) => {
    const data = members.get(name);
    if (!data) throw new Error(`${entry.shard}: member ${name} missing`);
    return data;
  };
  const meta = JSON.parse(new TextDecoder().decode(get(`${entry.key}/meta.json`))) as UtteranceMeta;
  return frameIds.map((id) => {
    const at = meta.frames.indexOf(id);
    if (at < 0) throw new Error(`${entry.shard}: ${entry.key} has no frame ${id}`);
    const png = (suffix: string, channels: 1 | 3) => {
      const name = `${entry.key}/${id}.${suffix}`;
      const image = decodeMemberPng(get(name), name, channels);
      if (image.width !== entry.width || image.height !== entry.height)
        throw new Error(
          `${name}: ${image.width}x${image.height}, manifest says ${entry.width}x${entry.height}`,
        );
      return image.data;
    };
    return {
      id,
      rgb: png('rgb.png', 3),
      landmarkImage: png('contour.png', 3),
      segmentation: png('seg.png', 1),
      landmarks: meta.landmarks[at]!.map(([x, y]) => [x, y] as const),
    };
  });
}
