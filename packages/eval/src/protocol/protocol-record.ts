import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@th/data/node';
import type { FinetuneLosses } from '@th/infer';
import type { OutputsSetting } from '@th/metrics';

/** What the harness measured while producing one (identity, K, setting). */
export interface SettingRun {
  readonly identity: string;
  readonly k: number;
  readonly setting: OutputsSetting;
  /** Frame ids of the K source frames used as shots (docs/design.md#shot-choice rule). */
  readonly shots: string[];
  /** Hold-out frames rendered, and those skipped because no face was found in them. */
  readonly rendered: number;
  readonly skippedHoldout: string[];
  /** Finetuned setting only: steps, wall seconds and the last losses. */
  readonly finetune?: {
    readonly steps: number;
    readonly seconds: number;
    readonly finalGeneratorLoss: number;
    readonly finalDiscriminatorLoss: number;
    readonly notes: string[];
  };
  readonly renderMsPerFrame: number;
  /** The tfjs backend that rendered (and fine-tuned) it, e.g. webgpu on a GPU machine. */
  readonly backend?: string;
}

/**
 * `protocol.json`: the inputs of the run (a resumed run must match them) and every setting run.
 * A run of baselines only has no checkpoint and no step count (null): baselines do not depend on
 * them, so a later model run may share the folder.
 */
export interface ProtocolRecord {
  readonly checkpoint: string | null;
  /**
   * The checkpoint's tensor-data SHA-256 (its `data_sha256`): the same model at another path
   * (e.g. outputs rendered on a GPU machine, scored here) is the same model.
   */
  readonly checkpointSha256?: string | null;
  readonly data: string;
  /** SHA-256 of the prepared dataset's dataset.json and manifest.jsonl: the same data elsewhere. */
  readonly dataSha256?: string | null;
  readonly finetuneSteps: number | 'spec' | null;
  /**
   * Fine-tuning's lr₀: 'spec' (LSR's 1e-3) or the value given. Records written before the option
   * existed lack it and are read as 'spec' (where they have a checkpoint).
   */
  readonly finetuneLearningRate?: number | 'spec' | null;
  /**
   * Fine-tuning's loss weights: 'training' (the checkpoint's own, `trainingObjective` of
   * @th/infer) or 'lsr' (LSR's defaults). Records written before the option existed lack it and
   * are read as 'lsr' (where they have a checkpoint), which is what they used.
   */
  readonly finetuneLosses?: FinetuneLosses | null;
  runs: SettingRun[];
}

export const runKey = (r: Pick<SettingRun, 'identity' | 'k' | 'setting'>) =>
  `${r.identity}/${r.k}/${r.setting}`;

/** Which record fields say the same input, and the content hash that overrides a path. */
const INPUTS = [
  { key: 'checkpoint', hash: 'checkpointSha256' },
  { key: 'data', hash: 'dataSha256' },
  { key: 'finetuneSteps', hash: null },
  { key: 'finetuneLearningRate', hash: null },
  { key: 'finetuneLosses', hash: null },
] as const;

/**
 * Reads the record of an earlier run in the same folder, or starts a new one. A record made with
 * another checkpoint, data folder, step count, fine-tuning learning rate or loss choice is refused: resuming
 * it would mix two models' outputs in one report. Checkpoint and data compare by content hash
 * when both records have one (a folder rendered on another machine, where the paths differ,
 * resumes here), else by path. A checkpoint, step count or learning rate that one of the two
 * runs lacks (null: it rendered baselines only) is no conflict; the record keeps the one given.
 */
export async function openRecord(path: string, fresh: ProtocolRecord): Promise<ProtocolRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return fresh;
  }
  const read = JSON.parse(text) as ProtocolRecord;
  const old: ProtocolRecord = {
    ...read,
    finetuneLearningRate: read.finetuneLearningRate ?? (read.checkpoint ? 'spec' : null),
    finetuneLosses: read.finetuneLosses ?? (read.checkpoint ? 'lsr' : null),
  };
  const merged = {
    ...fresh,
    checkpoint: fresh.checkpoint ?? old.checkpoint ?? null,
    checkpointSha256: fresh.checkpointSha256 ?? old.checkpointSha256 ?? null,
    dataSha256: fresh.dataSha256 ?? old.dataSha256 ?? null,
    finetuneSteps: fresh.finetuneSteps ?? old.finetuneSteps ?? null,
    finetuneLearningRate: fresh.finetuneLearningRate ?? old.finetuneLearningRate ?? null,
    finetuneLosses: fresh.finetuneLosses ?? old.finetuneLosses ?? null,
  };
  for (const { key, hash } of INPUTS) {
    const lacking = key !== 'data' && (old[key] === null || fresh[key] === null);
    const oldHash = hash ? old[hash] : null;
    const freshHash = hash ? fresh[hash] : null;
    const same = oldHash && freshHash ? oldHash === freshHash : old[key] === fresh[key];
    if (!lacking && !same) {
      const what = (r: ProtocolRecord, h: string | null | undefined) =>
        `${JSON.stringify(r[key])}${h ? ` (sha256 ${h.slice(0, 12)}…)` : ''}`;
      throw new Error(
        `${path}: this folder holds a run with ${key} ${what(old, oldHash)}, not ${what(fresh, freshHash)}; use another --out (or delete it)`,
      );
    }
  }
  return { ...merged, runs: Array.isArray(old.runs) ? old.runs : [] };
}

/** Replaces the run with the same key (a re-rendered setting) and saves atomically. */
export async function saveRun(
  path: string,
  record: ProtocolRecord,
  run: SettingRun,
): Promise<void> {
  record.runs = [...record.runs.filter((r) => runKey(r) !== runKey(run)), run];
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`));
}
