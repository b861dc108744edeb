import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@th/data/node';
import type { Setting } from '@th/metrics';

/** What the harness measured while producing one (identity, K, setting). */
export interface SettingRun {
  readonly identity: string;
  readonly k: number;
  readonly setting: Setting;
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
}

/** `protocol.json`: the inputs of the run (a resumed run must match them) and every setting run. */
export interface ProtocolRecord {
  readonly checkpoint: string;
  readonly data: string;
  readonly finetuneSteps: number | 'spec';
  runs: SettingRun[];
}

export const runKey = (r: Pick<SettingRun, 'identity' | 'k' | 'setting'>) =>
  `${r.identity}/${r.k}/${r.setting}`;

/**
 * Reads the record of an earlier run in the same folder, or starts a new one. A record made with
 * another checkpoint, data folder or step count is refused: resuming it would mix two models'
 * outputs in one report.
 */
export async function openRecord(path: string, fresh: ProtocolRecord): Promise<ProtocolRecord> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return fresh;
  }
  const old = JSON.parse(text) as ProtocolRecord;
  for (const key of ['checkpoint', 'data', 'finetuneSteps'] as const) {
    if (old[key] !== fresh[key]) {
      throw new Error(
        `${path}: this folder holds a run with ${key} ${JSON.stringify(old[key])}, not ${JSON.stringify(fresh[key])}; use another --out (or delete it)`,
      );
    }
  }
  return { ...fresh, runs: Array.isArray(old.runs) ? old.runs : [] };
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
