import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * SHA-256 of a prepared dataset's description (dataset.json) and index (manifest.jsonl): what
 * identifies the same prepared data in another place (th-data prepare writes both
 * deterministically; the manifest pins every utterance's shard and byte range).
 */
export async function datasetSha256(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['dataset.json', 'manifest.jsonl']) {
    hash.update(file);
    hash.update(await readFile(join(dir, file)));
  }
  return hash.digest('hex');
}
