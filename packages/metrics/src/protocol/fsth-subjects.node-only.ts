import { type FsthFrame, listFsthFrames } from '../eval/frame-files.node-only';

/** One identity of the FSTH test subset: its sorted source ("train") and hold-out ("test") frames. */
export interface FsthSubject {
  readonly identity: string;
  readonly sources: FsthFrame[];
  readonly holdout: FsthFrame[];
}

/**
 * Reads a data folder laid out as `train/<id>/<video>/**​/NNNNN_rgb.png` (source frames) and
 * `test/<id>/...` (hold-out frames), the layout of the FSTH VoxCeleb2 subset
 * (docs/design.md#fsth-protocol). Frames are
 * sorted by path, which is the order the shot rule ⌊i·n/K⌋ indexes. `identities` filters; an
 * unknown identity or one without both splits is an error naming it.
 */
export async function listFsthSubjects(
  dataDir: string,
  identities?: readonly string[],
): Promise<FsthSubject[]> {
  const frames = await listFsthFrames(dataDir);
  const byIdentity = new Map<string, { sources: FsthFrame[]; holdout: FsthFrame[] }>();
  for (const f of frames) {
    if (f.split !== 'train' && f.split !== 'test') continue;
    const entry = byIdentity.get(f.identity) ?? { sources: [], holdout: [] };
    (f.split === 'train' ? entry.sources : entry.holdout).push(f);
    byIdentity.set(f.identity, entry);
  }
  if (byIdentity.size === 0)
    throw new Error(`${dataDir}: no train/<identity>/**/NNNNN_rgb.png or test/... frames`);
  const wanted = identities ?? [...byIdentity.keys()].sort();
  return wanted.map((identity) => {
    const entry = byIdentity.get(identity);
    if (!entry) {
      throw new Error(
        `${dataDir}: identity "${identity}" not found (have ${[...byIdentity.keys()].sort().join(', ')})`,
      );
    }
    if (entry.sources.length === 0)
      throw new Error(`${dataDir}: identity "${identity}" has no train/ (source) frames`);
    if (entry.holdout.length === 0)
      throw new Error(`${dataDir}: identity "${identity}" has no test/ (hold-out) frames`);
    return { identity, sources: entry.sources, holdout: entry.holdout };
  });
}
