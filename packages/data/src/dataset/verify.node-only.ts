/**
 * Node-only: `verify`: recompute every shard's SHA-256 and compare with its done record, and
 * check that every manifest line points inside a recorded shard.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readAllDoneRecords, readManifest } from './dataset-files.node-only';
import { shardPath } from './shard-writer.node-only';

export interface VerifyReport {
  shards: number;
  utterances: number;
  problems: string[];
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function verifyDataset(dataset: string): Promise<VerifyReport> {
  const records = await readAllDoneRecords(dataset);
  const manifest = await readManifest(dataset);
  const problems: string[] = [];
  const sizes = new Map<string, number>();
  for (const r of records) {
    sizes.set(r.shard, r.bytes);
    const path = shardPath(dataset, r.shard);
    const actual = await sha256OfFile(path).catch((e: Error) => `unreadable (${e.message})`);
    if (actual !== r.sha256)
      problems.push(`${path}: SHA-256 mismatch: recorded ${r.sha256}, file ${actual}`);
  }
  for (const e of manifest) {
    const size = sizes.get(e.shard);
    if (size === undefined)
      problems.push(`manifest: ${e.key} is in ${e.shard}, which has no valid done record`);
    else if (e.offset + e.length > size)
      problems.push(`manifest: ${e.key} runs past the end of ${e.shard}`);
  }
  return { shards: records.length, utterances: manifest.length, problems };
}
