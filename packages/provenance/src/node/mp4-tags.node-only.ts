/**
 * Node-only: how @th writes its provenance tag into files it encodes with ffmpeg. MP4 gets the
 * tag as `comment` and `description` (standard keys that players show and that ffmpeg copies on a
 * plain re-encode) and the JSON under a custom key `th_provenance` (written with
 * `-movflags +use_metadata_tags`). GIFs get a comment extension after encoding.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { addGifComment } from '../metadata/gif-comment';
import { formatProvenanceTag, type ProvenanceInfo } from '../metadata/provenance-tag';

/** ffmpeg output options that carry the tag (combine `movflags` with your own flags). */
export function mp4TagArgs(info: ProvenanceInfo): { metadata: string[]; movflags: string } {
  const tag = formatProvenanceTag(info);
  return {
    metadata: [
      '-metadata',
      `comment=${tag}`,
      '-metadata',
      `description=${tag}`,
      '-metadata',
      `th_provenance=${JSON.stringify(info)}`,
    ],
    movflags: '+use_metadata_tags',
  };
}

/** Add the tag as a comment extension to a GIF file in place (temp file + rename). */
export async function tagGifFile(path: string, info: ProvenanceInfo): Promise<void> {
  const tagged = addGifComment(
    new Uint8Array(await readFile(path)),
    formatProvenanceTag(info),
    path,
  );
  const temp = join(dirname(path), `.${randomBytes(4).toString('hex')}.tmp.gif`);
  try {
    await writeFile(temp, tagged);
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
}
