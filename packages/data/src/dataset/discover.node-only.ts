/**
 * Node-only: find the units of work (utterances) below an input folder. Two layouts:
 *
 * - VoxCeleb2 clips: `<identity>/<video>/<utterance>.mp4` → one unit per clip.
 * - Frame folders: any folder holding `NNNNN_rgb.png` (or plain .png/.jpg) frames, e.g. the FSTH
 *   evaluation layout `frames/{train,test}/<identity>/<video>[/combined]/` → one unit per folder.
 *
 * When the input has `videos/` or `frames/` children (the layout of the shared sample) only those
 * are scanned, so reference outputs in `processed/` are not taken for inputs.
 *
 * Symbolic links are followed (a folder of links is how one picks some identities of a larger
 * collection without copying it); a folder reached twice through links is scanned once, and a
 * broken link is ignored.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface WorkUnit {
  key: string;
  kind: 'video' | 'frames';
  /** the clip, or the frame folder */
  path: string;
  /** frame files, sorted by name (frame folders only) */
  frameFiles: string[];
  identity: string;
  video: string;
  utterance: string;
  split: string;
}

const FRAME_FILE = /\.(png|jpe?g)$/i;
const DERIVED_FILE = /_(contour|segmap\w*|seg)\.png$/i;
const SPLITS = new Set(['train', 'test', 'dev', 'val']);

function describe(parts: string[]): Pick<WorkUnit, 'identity' | 'video' | 'utterance' | 'split'> {
  const split = parts.find((p) => SPLITS.has(p)) ?? '';
  const last = parts.at(-1) ?? '';
  // A numeric last component is an utterance (VoxCeleb2 names them 00001…); otherwise the
  // folder is a whole video's frames (the FSTH layout) and the video doubles as the utterance.
  if (/^\d+$/.test(last) && parts.length >= 3) {
    return { identity: parts.at(-3)!, video: parts.at(-2)!, utterance: last, split };
  }
  return { identity: parts.at(-2) ?? last, video: last, utterance: last, split };
}

type EntryKind = 'file' | 'dir' | 'other';

/** What an entry is, looking through a symbolic link (a broken one is 'other'). */
async function kindOf(dir: string, e: Dirent): Promise<EntryKind> {
  if (e.isSymbolicLink()) {
    const target = await stat(join(dir, e.name)).catch(() => undefined);
    return target?.isFile() ? 'file' : target?.isDirectory() ? 'dir' : 'other';
  }
  return e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other';
}

async function walk(
  root: string,
  dir: string,
  units: WorkUnit[],
  visited = new Set<string>(),
): Promise<void> {
  const real = await realpath(dir);
  if (visited.has(real)) return;
  visited.add(real);
  const listed = await readdir(dir, { withFileTypes: true });
  listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const kinds = await Promise.all(listed.map((e) => kindOf(dir, e)));
  const entries = listed.map((e, i) => ({ name: e.name, kind: kinds[i]! }));
  const images = entries.filter((e) => e.kind === 'file' && FRAME_FILE.test(e.name));
  const rgb = images.filter((e) => /_rgb\.(png|jpe?g)$/i.test(e.name));
  const frames = (rgb.length ? rgb : images.filter((e) => !DERIVED_FILE.test(e.name))).map(
    (e) => e.name,
  );
  const rel = relative(root, dir).split(sep).filter(Boolean);
  if (frames.length > 0) {
    const parts = rel.at(-1) === 'combined' ? rel.slice(0, -1) : rel;
    units.push({
      key: parts.join('/'),
      kind: 'frames',
      path: dir,
      frameFiles: frames,
      ...describe(parts),
    });
  }
  for (const e of entries) {
    if (e.kind === 'file' && /\.mp4$/i.test(e.name)) {
      const parts = [...rel, e.name.replace(/\.mp4$/i, '')];
      units.push({
        key: parts.join('/'),
        kind: 'video',
        path: join(dir, e.name),
        frameFiles: [],
        ...describe(parts),
      });
    } else if (e.kind === 'dir') {
      await walk(root, join(dir, e.name), units, visited);
    }
  }
}

/** All units below `input`, sorted by key. Throws naming the folder when it holds none. */
export async function discoverUnits(input: string): Promise<WorkUnit[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(input);
  } catch {
    throw new Error(`${input}: input folder not found`);
  }
  if (!info.isDirectory()) throw new Error(`${input}: input is not a folder`);
  const top = await readdir(input, { withFileTypes: true });
  const known: string[] = [];
  for (const e of top) {
    if ((e.name === 'videos' || e.name === 'frames') && (await kindOf(input, e)) === 'dir') {
      known.push(e.name);
    }
  }
  const units: WorkUnit[] = [];
  if (known.length > 0) {
    for (const name of known) await walk(input, join(input, name), units);
  } else {
    await walk(input, input, units);
  }
  if (units.length === 0) {
    throw new Error(`${input}: no videos (.mp4) or frame images (.png/.jpg) found in this folder`);
  }
  const seen = new Set<string>();
  for (const u of units) {
    if (seen.has(u.key)) throw new Error(`${u.path}: two inputs map to the same key ${u.key}`);
    seen.add(u.key);
  }
  return units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
