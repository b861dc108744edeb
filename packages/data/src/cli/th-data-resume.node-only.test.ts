/**
 * Acceptance test of resumability: run the real CLI (bundled here with esbuild, with its worker
 * file) once uninterrupted, and once killed with SIGKILL right after its first shard is done and
 * then rerun. Both datasets must be identical: same manifest, same shard SHA-256s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAllDoneRecords } from '../dataset/dataset-files.node-only';
import { tempDir, tempFrameInput } from '../dataset/test-fixtures.node-only';

const here = import.meta.dirname;
const bundleDir = join(here, '../../node_modules/.cache/th-data/cli-test');
const cli = join(bundleDir, 'cli.mjs');

function runCli(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stderr })),
  );
  return { child, done };
}

describe('th-data prepare: kill and resume', () => {
  let input: string;
  beforeAll(async () => {
    await build({
      entryPoints: {
        cli: join(here, 'th-data-main.node-only.ts'),
        'prepare-worker': join(here, 'prepare-worker-main.node-only.ts'),
      },
      outdir: bundleDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    input = await tempFrameInput();
  });

  it('finishes an interrupted run without redoing work, equal to a clean run', async () => {
    const args = (out: string) => [
      'prepare',
      input,
      '--out',
      out,
      '--shard-size',
      '1',
      '--workers',
      '1',
      '--landmarks',
      'json',
    ];
    const clean = await tempDir('th-data-clean-');
    const first = await runCli(args(clean)).done;
    expect(first.code).toBe(0);

    const resumed = await tempDir('th-data-resumed-');
    const killed = runCli(args(resumed));
    const doneDir = join(resumed, 'done');
    // Kill as soon as the first shard's done record exists.
    while (!(existsSync(doneDir) && readdirSync(doneDir).some((n) => n.endsWith('.json')))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    killed.child.kill('SIGKILL');
    await killed.done;
    const finishedBeforeKill = (await readAllDoneRecords(resumed)).length;
    expect(finishedBeforeKill).toBeGreaterThanOrEqual(1);
    expect(finishedBeforeKill).toBeLessThan(8); // really interrupted halfway
    expect(existsSync(join(resumed, 'manifest.jsonl'))).toBe(false);

    const rerun = await runCli(args(resumed)).done;
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toContain(
      `${finishedBeforeKill} shards already done, ${8 - finishedBeforeKill} to do`,
    );

    const cleanRecords = await readAllDoneRecords(clean);
    const resumedRecords = await readAllDoneRecords(resumed);
    expect(resumedRecords.map((r) => r.sha256)).toEqual(cleanRecords.map((r) => r.sha256));
    expect(await readFile(join(resumed, 'manifest.jsonl'), 'utf8')).toBe(
      await readFile(join(clean, 'manifest.jsonl'), 'utf8'),
    );
    // The killed run's shard in progress may leave a *.tmp file; it is never taken for a shard.
    const shards = readdirSync(join(resumed, 'shards')).filter((n) => n.endsWith('.tar'));
    expect(shards).toHaveLength(8);

    const verify = await runCli(['verify', resumed]).done;
    expect(verify.code).toBe(0);
  });

  it('exits non-zero with a clear message on an empty folder', async () => {
    const empty = await tempDir('th-data-empty-');
    const run = await runCli(['prepare', empty, '--out', join(empty, 'out')]).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${empty}: no videos (.mp4) or frame images (.png/.jpg) found`);
  });
});
