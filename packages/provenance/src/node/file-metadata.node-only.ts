/**
 * Node-only: the provenance metadata of a file. PNG text chunks and GIF comments are parsed here
 * (ffprobe does not report GIF comments); containers (MP4, MOV, MKV, WebM, ...) go through
 * ffprobe's format and stream tags.
 */
import { readFile } from 'node:fs/promises';
import { readGifComments } from '../metadata/gif-comment';
import { readPngText } from '../metadata/png-text';
import { type ProvenanceInfo, parseProvenanceTag } from '../metadata/provenance-tag';
import type { MediaInfo } from './ffmpeg.node-only';

export interface FileMetadata {
  /** The @th provenance tag, if one was found in any text field. */
  provenance: ProvenanceInfo | null;
  /** Where it was found (e.g. "PNG tEXt Description", "GIF comment", "MP4 tag comment"). */
  foundIn: string | null;
  /** Every text field read (name → text). */
  fields: Record<string, string>;
}

export async function readFileMetadata(path: string, media: MediaInfo): Promise<FileMetadata> {
  const fields: Record<string, string> = {};
  const still = media.format === 'png_pipe' || media.format === 'image2';
  if (still && media.codec === 'png') {
    for (const e of readPngText(new Uint8Array(await readFile(path)), path))
      fields[`PNG ${e.kind} ${e.keyword}`] = e.kind === 'compressed' ? '(compressed)' : e.text;
  } else if (media.format === 'gif') {
    readGifComments(new Uint8Array(await readFile(path)), path).forEach((c, i) => {
      fields[`GIF comment ${i + 1}`] = c;
    });
  } else {
    const kind = media.format.includes('mp4') ? 'MP4' : media.format.split(',')[0]!.toUpperCase();
    for (const [k, v] of Object.entries(media.tags)) fields[`${kind} tag ${k}`] = v;
  }
  for (const [name, text] of Object.entries(fields)) {
    const provenance = parseProvenanceTag(text);
    if (provenance) return { provenance, foundIn: name, fields };
  }
  return { provenance: null, foundIn: null, fields };
}
