/** `th info <checkpoint>`: what a checkpoint holds, with the SHA-256 check's verdict. */
import { init } from '@th/backend';
import { formatModelSummary, summarizeModel } from '../model/describe-model';
import { loadModel } from '../model/load-model';
import { resolveCheckpoint } from '../node/bundled-model.node-only';
import { type Parsed, UsageError } from './args';

export async function infoCommand(parsed: Parsed, stdout: (s: string) => void): Promise<void> {
  const [path, ...rest] = parsed.positionals;
  if (!path) throw new UsageError('th info needs a checkpoint file (or "bundled")');
  if (rest.length)
    throw new UsageError(`th info takes one checkpoint, got also: ${rest.join(' ')}`);
  await init({ backend: 'cpu' }); // only reads the file and counts parameters: no fast backend needed
  const loaded = await loadModel(resolveCheckpoint(path)); // "bundled": the shipped model
  const summary = summarizeModel(loaded);
  loaded.model.dispose();
  stdout(
    parsed.flags.has('json')
      ? `${JSON.stringify(summary, null, 2)}\n`
      : formatModelSummary(summary),
  );
}
