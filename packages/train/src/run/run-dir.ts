import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Paths inside one run directory `runs/<NNNNN>-<desc>/`. */
export interface RunPaths {
  root: string;
  config: string;
  metrics: string;
  log: string;
  curves: string;
  checkpoints: string;
  samples: string;
}

export function runPaths(root: string): RunPaths {
  return {
    root,
    config: join(root, 'config.json'),
    metrics: join(root, 'metrics.jsonl'),
    log: join(root, 'log.txt'),
    curves: join(root, 'curves.html'),
    checkpoints: join(root, 'checkpoints'),
    samples: join(root, 'samples'),
  };
}

/**
 * Create the next numbered run directory under `parent`: `<NNNNN>-<desc>` with NNNNN one more
 * than the largest number already there (StyleGAN's convention: runs sort by creation).
 */
export async function createRunDir(parent: string, desc: string): Promise<RunPaths> {
  if (!/^[\w.-]+$/.test(desc))
    throw new Error(`run description "${desc}" may only use letters, digits, _ . -`);
  await mkdir(parent, { recursive: true });
  const numbers = (await readdir(parent))
    .map((n) => /^(\d{5})-/.exec(n)?.[1])
    .filter((n): n is string => !!n);
  const next = numbers.length ? Math.max(...numbers.map(Number)) + 1 : 0;
  const paths = runPaths(join(parent, `${String(next).padStart(5, '0')}-${desc}`));
  await mkdir(paths.checkpoints, { recursive: true });
  await mkdir(paths.samples, { recursive: true });
  return paths;
}

/** The newest run directory under `parent` (highest number), or null. */
export async function latestRunDir(parent: string): Promise<string | null> {
  const names = (await readdir(parent).catch(() => [] as string[]))
    .filter((n) => /^\d{5}-/.test(n))
    .sort();
  const last = names.at(-1);
  return last ? join(parent, last) : null;
}
