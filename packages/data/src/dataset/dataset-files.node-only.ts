/**
 * Node-only: reading a dataset folder: done records, the manifest, one utterance's members.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../image/image-files.node-only';
import type { FailureRecord, ManifestEntry, ShardRecord } from './format';
import { donePath, shardPath } from './shard-writer.node-only';
import { parseTar, type TarMember } from './tar';

/** The done record of a shard, or null when the shard is not (validly) finished. */
export async function readDoneRecord(out: string, name: string): Promise<ShardRecord | null> {
  let text: string;
  try {
    text = await readFile(donePath(out, name), 'utf8');
  } catch {
    return null;
  }
  const record = JSON.parse(text) as ShardRecord;
  // A shard file of another size than recorded means it was replaced or cut: redo it.
  const info = await stat(shardPath(out, name)).catch(() => null);
  return info && info.size === record.bytes ? record : null;
}

/** All done records in the folder, sorted by shard name. */
export async function readAllDoneRecords(out: string): Promise<ShardRecord[]> {
  const names = (await readdir(join(out, 'done')).catch(() => [] as string[]))
    .filter((n) => /^shard-\d+\.json$/.test(n))
    .sort();
  const records: ShardRecord[] = [];
  for (const n of names) {
    const r = await readDoneRecord(out, n.replace(/\.json$/, ''));
    if (r) records.push(r);
  }
  return records;
}

const jsonLines = (rows: unknown[]) =>
  new TextEncoder().encode(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));

/** Rebuild manifest.jsonl and failures.jsonl from the done records (atomic writes). */
export async function writeManifest(out: string, records: ShardRecord[]): Promise<void> {
  await writeFileAtomic(join(out, 'manifest.jsonl'), jsonLines(records.flatMap((r) => r.entries)));
  await writeFileAtomic(join(out, 'failures.jsonl'), jsonLines(records.flatMap((r) => r.failures)));
}

function parseJsonLines<T>(text: string, path: string): T[] {
  return text
    .split('\n')
    .map((line, i) => [line, i] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, i]) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`${path}: line ${i + 1} is not valid JSON`);
      }
    });
}

export async function readManifest(dataset: string): Promise<ManifestEntry[]> {
  const path = join(dataset, 'manifest.jsonl');
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(`${path}: no manifest; is ${dataset} a dataset made by th-data prepare?`);
  });
  return parseJsonLines<ManifestEntry>(text, path);
}

export async function readFailures(dataset: string): Promise<FailureRecord[]> {
  const path = join(dataset, 'failures.jsonl');
  const text = await readFile(path, 'utf8').catch(() => '');
  return parseJsonLines<FailureRecord>(text, path);
}

/** Read the tar members of one utterance (one positioned read of its byte range). */
export async function readUtteranceMembers(
  dataset: string,
  entry: ManifestEntry,
): Promise<TarMember[]> {
  const path = shardPath(dataset, entry.shard);
  const handle = await open(path, 'r').catch(() => {
    throw new Error(`${path}: shard file missing (utterance ${entry.key})`);
  });
  try {
    const bytes = new Uint8Array(entry.length);
    const { bytesRead } = await handle.read(bytes, 0, entry.length, entry.offset);
    if (bytesRead !== entry.length)
      throw new Error(`${path}: truncated shard (utterance ${entry.key})`);
    return parseTar(bytes, path);
  } finally {
    await handle.close();
  }
}
