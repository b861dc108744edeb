/**
 * The built th-train binary as a user runs it: help and version (exit 0), usage errors before any
 * work (exit 2, naming the flag), a run that cannot be read (exit 1, one line, no stack trace).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const { name, version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);

function thTrain(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'th-train-cwd-'));
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('th-train as a command', () => {
  it('--help exits 0 with the usage on stdout; --version names the package', () => {
    const help = thTrain(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^th-train: train LSR/);
    expect(help.stdout).toMatch(/--resume \[PATH\] +continue a run directory/);
    expect(help.stderr).toBe('');
    const v = thTrain(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toBe(`${name} ${version}\n`);
  });

  it('without --data, or with an unknown flag: exit 2 naming what to pass', () => {
    const none = thTrain([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^th-train: no training data: pass --data DATASET/);
    const unknown = thTrain(['--data', 'x', '--frob']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'th-train: unknown option --frob\n(th-train --help lists the options)\n',
    );
  });

  it('--resume of nothing: exit 1, one line', () => {
    const r = thTrain(['--resume']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'th-train: error: --resume: no run directory under runs (give the run: --resume RUN_DIR, or --run-dir)\n',
    );
  });
});
