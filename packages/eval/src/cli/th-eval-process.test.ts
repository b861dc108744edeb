/**
 * The built th-eval binary as a user runs it: help and version on stdout with exit 0, usage errors
 * (caught before any work) with exit 2 and a pointer to --help, missing files with exit 1.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CLI = new URL('../../dist/th-eval.js', import.meta.url).pathname;
const { name, version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
);

function thEval(args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('th-eval as a command', () => {
  it('--help (and no arguments) prints the usage on stdout and exits 0', () => {
    for (const args of [['--help'], ['-h'], [], ['--outputs', 'x', '--help']]) {
      const r = thEval(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Usage:\n {2}th-eval --outputs DIR --real DIR/);
      expect(r.stderr).toBe('');
    }
  });

  it('--version prints the package name and version', () => {
    const r = thEval(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${name} ${version}\n`);
  });

  it('usage errors exit 2 and name the option, before any work', () => {
    const cases: [string[], string][] = [
      [['--frob'], 'unknown option --frob'],
      [['--checkpoint', 'bundled'], '--checkpoint and --data go together'],
      [
        ['--outputs', 'o', '--real', 'r', '--id-align', 'x'],
        '--id-align must be ground-truth or detect, got "x"',
      ],
      [
        ['--checkpoint', 'bundled', '--data', '.', '--k', '0'],
        '--k: expected positive integers like 1,4,8,32, got "0"',
      ],
      [
        ['--checkpoint', 'bundled', '--data', '.', '--settings', 'both'],
        '--settings: "both" is not one of meta, finetuned (or ft), copy-first, source-mean',
      ],
      [['--baselines', '--k', '1'], '--baselines needs --data DATASET'],
      [
        ['--baselines', '--data', '.', '--settings', 'meta'],
        '--settings meta needs --checkpoint FILE (without one, only the baselines copy-first, source-mean are rendered)',
      ],
    ];
    for (const [args, message] of cases) {
      const r = thEval(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`th-eval: ${message}\n(th-eval --help lists the options)\n`);
    }
  });

  it('a missing file or folder is named with its flag (exit 1)', () => {
    const r = thEval(['--checkpoint', 'bundled', '--data', '/nonexistent/dataset']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('th-eval: error: --data /nonexistent/dataset: no such file or folder\n');
  });
});
