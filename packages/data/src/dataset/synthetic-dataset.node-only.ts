/**
 * Node-only: a synthetic prepared dataset for tests and benchmarks, in the real format (shards,
 * done records, manifest, dataset.json), without videos or a face detector. Each frame is a
 * face-like template (68 landmarks jittered per frame) with its landmark image and oracle
 * segmentation made by `frameInputsAt`, and an RGB frame of smooth colour plus deterministic
 * noise (so its PNG is about as large as a real VoxCeleb2 frame's). To write 10^5 frames in
 * seconds, `distinctFrames` frames are rendered and encoded once and reused under every
 * utterance's own member names: every example still reads and decodes its own bytes.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../image/image-files.node-only';
import type { RgbImage } from '../image/rgb-image';
import type { Point } from '../landmarks/landmarks';
import { deriveSeed, mulberry32 } from '../loader/seeded-random';
import { frameInputsAt } from '../render/frame-inputs';
import { readAllDoneRecords, writeManifest } from './dataset-files.node-only';
import {
  type DatasetSummary,
  datasetSettings,
  FORMAT_VERSION,
  shardName,
  type UtteranceMeta,
} from './format';
import { encodeMemberPng } from './member-png.node-only';
import { ShardWriter } from './shard-writer.node-only';
import { unitEntryOf, utteranceBytes } from './utterance-record';

export interface SyntheticDatasetOptions {
  utterances: number;
  framesPerUtterance: number;
  resolution: number;
  /** utterances per shard (default 1000) */
  shardSize?: number;
  /** distinct frames rendered (default 64) */
  distinctFrames?: number;
  /** utterances per identity (default 1) */
  utterancesPerIdentity?: number;
  /** split of utterance i (default '') */
  split?: (utterance: number) => string;
  seed?: number;
  /** RGB noise amplitude (default 12) */
  noise?: number;
}

/** A plausible 68-point face (iBUG layout) in a 224² frame, shifted and scaled slightly. */
export function templateFace(random: () => number): Point[] {
  const dx = (random() - 0.5) * 12;
  const dy = (random() - 0.5) * 12;
  const s = 0.9 + random() * 0.2;
  const at = (x: number, y: number): Point => [112 + dx + (x - 112) * s, 112 + dy + (y - 112) * s];
  const pts: Point[] = [];
  for (let i = 0; i < 17; i++) {
    const a = Math.PI * (i / 16);
    pts.push(at(112 - 62 * Math.cos(a), 100 + 72 * Math.sin(a)));
  }
  for (const x0 of [70, 122])
    for (let i = 0; i < 5; i++) pts.push(at(x0 + 8 * i, 70 - 3 * Math.sin((Math.PI * i) / 4)));
  for (let i = 0; i < 4; i++) pts.push(at(112, 80 + 9 * i));
  for (let i = 0; i < 5; i++) pts.push(at(100 + 6 * i, 118));
  for (const cx of [85, 139])
    for (let i = 0; i < 6; i++) {
      const a = (2 * Math.PI * i) / 6;
      pts.push(at(cx + 9 * Math.cos(a), 85 - 4 * Math.sin(a)));
    }
  const open = random() * 6;
  for (let i = 0; i < 12; i++) {
    const a = (2 * Math.PI * i) / 12;
    pts.push(at(112 - 22 * Math.cos(a), 140 - (9 + open) * Math.sin(a)));
  }
  for (let i = 0; i < 8; i++) {
    const a = (2 * Math.PI * i) / 8;
    pts.push(at(112 - 14 * Math.cos(a), 140 - (2 + open) * Math.sin(a)));
  }
  return pts;
}

function syntheticRgb(size: number, random: () => number, noise: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  const base = [random() * 200, random() * 200, random() * 200];
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) {
        const v = base[c]! + (40 * (x + y * (c + 1))) / size + (random() - 0.5) * noise;
        data[(y * size + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
  return { width: size, height: size, data };
}

interface EncodedFrame {
  rgb: Uint8Array;
  contour: Uint8Array;
  seg: Uint8Array;
  landmarks: [number, number][];
}

/** Write the dataset into `dir` (which should be empty); returns its summary. */
export async function writeSyntheticDataset(
  dir: string,
  options: SyntheticDatasetOptions,
): Promise<DatasetSummary> {
  const size = options.resolution;
  const shardSize = options.shardSize ?? 1000;
  const perIdentity = options.utterancesPerIdentity ?? 1;
  const random = mulberry32(options.seed ?? 1);
  const pool: EncodedFrame[] = [];
  for (let i = 0; i < (options.distinctFrames ?? 64); i++) {
    const lm = templateFace(random);
    const frame = frameInputsAt(syntheticRgb(224, random, options.noise ?? 12), lm, size);
    pool.push({
      rgb: encodeMemberPng(frame.rgb.data, size, 'frame'),
      contour: encodeMemberPng(frame.landmarkImage.data, size, 'landmarks'),
      seg: encodeMemberPng(frame.segmentation, size, 'segmentation'),
      landmarks: frame.landmarks.map(([x, y]) => [x, y]),
    });
  }
  await mkdir(dir, { recursive: true });
  const settings = datasetSettings({ landmarks: 'json', shardSize, resolution: size });
  const keyOf = (u: number) => {
    const identity = `id${String(Math.floor(u / perIdentity)).padStart(5, '0')}`;
    return { identity, video: 'synthetic', utterance: String(u % perIdentity).padStart(5, '0') };
  };
  let frames = 0;
  for (let first = 0; first < options.utterances; first += shardSize) {
    const units = Array.from(
      { length: Math.min(shardSize, options.utterances - first) },
      (_, i) => first + i,
    );
    const keys = units.map((u) => {
      const { identity, video, utterance } = keyOf(u);
      return `${identity}/${video}/${utterance}`;
    });
    const writer = await ShardWriter.open(dir, shardName(first / shardSize), keys, settings);
    for (const [i, u] of units.entries()) {
      const { identity, video, utterance } = keyOf(u);
      const key = keys[i]!;
      const pick = mulberry32(deriveSeed(options.seed ?? 1, u));
      const ids = Array.from({ length: options.framesPerUtterance }, (_, f) =>
        String(f).padStart(5, '0'),
      );
      const chosen = ids.map(() => pool[Math.floor(pick() * pool.length)]!);
      const split = options.split?.(u) ?? '';
      const meta: UtteranceMeta = {
        key,
        identity,
        video,
        utterance,
        split,
        frames: ids,
        width: size,
        height: size,
        sourceWidth: 224,
        sourceHeight: 224,
        landmarks: chosen.map((f) => f.landmarks),
        notes: ['synthetic'],
      };
      await writer.addUtterance(
        unitEntryOf(meta, 'synthetic'),
        utteranceBytes(
          meta,
          chosen.map((f) => ({ rgb: f.rgb, contour: f.contour, seg: f.seg })),
        ),
      );
      frames += ids.length;
    }
    await writer.finish();
  }
  const records = await readAllDoneRecords(dir);
  await writeManifest(dir, records);
  const summary: DatasetSummary = {
    format: FORMAT_VERSION,
    settings,
    resolution: size,
    shardsPlanned: records.length,
    shardsDone: records.length,
    utterances: options.utterances,
    frames,
    failures: 0,
  };
  await writeFileAtomic(
    join(dir, 'dataset.json'),
    new TextEncoder().encode(`${JSON.stringify(summary, null, 2)}\n`),
  );
  return summary;
}
