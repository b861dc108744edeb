/**
 * Acceptance test of resumability: run the real CLI (bundled here with esbuild, with its worker
 * file) once uninterrupted, and once killed with SIGKILL right after its first shard is done and
 * then rerun. Both datasets must be identical: same manifest, same shard SHA-256s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAllDoneRecords } from '../dataset/dataset-files.node-only';
import { FIXTURES, tempDir, tempFrameInput } from '../dataset/test-fixtures.node-only';

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
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${empty}: no videos (.mp4) or frame images (.png/.jpg) found`);
  });

  it('exits 1 when every input failed, pointing at failures.jsonl', async () => {
    // Frames without the landmark files that --landmarks json reads: every utterance fails.
    const input = await tempDir('th-data-nolandmarks-');
    const video = join(input, 'frames', 'train', 'id00017', 'OLguY5ofUrY');
    await mkdir(video, { recursive: true });
    await cp(
      join(FIXTURES, 'frames/train/id00017/OLguY5ofUrY/00000_rgb.png'),
      join(video, '00000_rgb.png'),
    );
    const out = join(input, 'out');
    const run = await runCli([
      'prepare',
      input,
      '--out',
      out,
      '--landmarks',
      'json',
      '--workers',
      '0',
    ]).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `th-data prepare: error: nothing was prepared: 1 input(s) failed (reasons in ${join(out, 'failures.jsonl')})`,
    );
  });
});

describe('th-data help, version and usage errors', () => {
  it('--help on the program and on every command exits 0 with the usage on stdout', async () => {
    for (const args of [
      [],
      ['--help'],
      ['help'],
      ['prepare', '--help'],
      ['inspect', '--help'],
      ['verify', '--help'],
      ['help', 'prepare'],
      ['prepare', 'in', '--frob', '--help'],
    ]) {
      const run = runCli(args);
      let stdout = '';
      run.child.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      const { code, stderr } = await run.done;
      expect(code, args.join(' ')).toBe(0);
      expect(stdout, args.join(' ')).toMatch(/Usage:/);
      expect(stderr, args.join(' ')).toBe('');
    }
  });

  it('--version prints the package version', async () => {
    const run = runCli(['--version']);
    let stdout = '';
    run.child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    expect((await run.done).code).toBe(0);
    const { version } = JSON.parse(await readFile(join(here, '../../package.json'), 'utf8'));
    expect(stdout).toBe(`@th/data ${version}\n`);
  });

  it('an unknown option or a missing value is a usage error naming it (exit 2)', async () => {
    const unknown = await runCli(['prepare', 'in', '--out', 'x', '--frob']).done;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'th-data prepare: unknown option --frob\n(th-data prepare --help lists the options)\n',
    );
    const noOut = await runCli(['prepare', 'in']).done;
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/prepare needs --out <dataset>/);
  });
});

describe('th-data prepare: Ctrl-C', () => {
  it('stops, removes the shard being written, exits 130; a rerun finishes the dataset', async () => {
    const input = await tempFrameInput();
    const out = await tempDir('th-data-interrupted-');
    const args = [
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
    const run = runCli(args);
    const doneDir = join(out, 'done');
    while (!(existsSync(doneDir) && readdirSync(doneDir).some((n) => n.endsWith('.json')))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    run.child.kill('SIGINT');
    const { code, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/th-data: interrupted/);
    const left = [join(out, 'shards'), doneDir].flatMap((d) => readdirSync(d));
    expect(left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const rerun = await runCli(args).done;
    expect(rerun.code).toBe(0);
    expect(readdirSync(join(out, 'shards')).filter((n) => n.endsWith('.tar'))).toHaveLength(8);
  });
});
