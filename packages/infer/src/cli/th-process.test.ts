/**
 * The built `th` binary as a user runs it: a real process, its real exit status, stdout and stderr.
 * Help and version, argument errors caught before any slow work, the bundled model, and Ctrl-C
 * during encoding (temp files removed).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCheckpoint } from '@th/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIP, FIXTURES, SOURCES, tempDir } from '../testing/fixtures';

const CLI = join(__dirname, '../../dist/cli.js');
const { name, version, bundledModel } = JSON.parse(
  readFileSync(join(__dirname, '../../package.json'), 'utf8'),
);

function th(args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

describe('th --help and --version', () => {
  it('--help on the program and on every command exits 0 with the usage on stdout', () => {
    for (const args of [
      ['--help'],
      ['-h'],
      ['help'],
      [],
      ['reenact', '--help'],
      ['info', '--help'],
      ['detect', '--help'],
      ['help', 'reenact'],
      ['reenact', '--source', 'a.png', '--help'],
    ]) {
      const r = th(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/Usage:/);
      expect(r.stderr, args.join(' ')).toBe('');
    }
  });

  it('the reenact help explains --backend, --quiet, --verbose and --finetune-steps', () => {
    const help = th(['reenact', '--help']).stdout;
    expect(help).toMatch(/--backend +the TensorFlow\.js backend: auto \(default/);
    expect(help).toMatch(/--quiet +no progress bars/);
    expect(help).toMatch(/--verbose +also say which backend was chosen and why/);
    expect(help).toMatch(/--finetune-steps +fine-tuning steps; default LSR's rule by K/);
    expect(help).toMatch(/--vgg19 +VGG19 weights/);
    expect(help).not.toMatch(/when one ships/);
  });

  it('--version prints the package name and version', () => {
    for (const args of [['--version'], ['version']]) {
      const r = th(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${name} ${version}\n`);
    }
  });

  it('an unknown command or option exits 2 and points at the help', () => {
    const r = th(['reenact', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'th: unknown option --frobnicate\n(th reenact --help lists the options)\n',
    );
    expect(th(['frobnicate']).code).toBe(2);
  });
});

describe('th reenact checks its arguments before any work', () => {
  const args = (out: string, ...more: string[]) => [
    'reenact',
    ...['--source', ...SOURCES, '--driver', CLIP, '--out', out, '--verbose'],
    ...more,
  ];

  it('an unsupported output type is a usage error naming --out, before the backend starts', () => {
    const r = th(args(join(dir, 'o.avi')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^th: --out .*o\.avi: unknown output type "\.avi" \(use \.mp4, \.gif/);
    expect(r.stderr).not.toMatch(/backend/); // --verbose would have logged the backend choice
    expect(readdirSync(dir)).toEqual([]);
  });

  it('options of fine-tuning without --finetune, and K above the number of sources', () => {
    const steps = th(args(join(dir, 'o.mp4'), '--finetune-steps', '3'));
    expect(steps.code).toBe(2);
    expect(steps.stderr).toMatch(/--finetune-steps applies to fine-tuning: add --finetune/);
    const lr = th(args(join(dir, 'o.mp4'), '--finetune-lr', '1e-4'));
    expect(lr.code).toBe(2);
    expect(lr.stderr).toMatch(/--finetune-lr applies to fine-tuning: add --finetune/);
    const zero = th(args(join(dir, 'o.mp4'), '--finetune', '--finetune-lr', '0'));
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--finetune-lr must be a positive number, got "0"/);
    const losses = th(args(join(dir, 'o.mp4'), '--finetune-losses', 'lsr'));
    expect(losses.stderr).toMatch(/--finetune-losses applies to fine-tuning: add --finetune/);
    const which = th(args(join(dir, 'o.mp4'), '--finetune', '--finetune-losses', 'vgg'));
    expect(which.code).toBe(2);
    expect(which.stderr).toMatch(/--finetune-losses must be training or lsr, got "vgg"/);
    const k = th(args(join(dir, 'o.mp4'), '--k', '9'));
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/--k 9 is larger than the 4 source image\(s\) given/);
  });

  it('missing paths and an empty source folder are named, with the flag', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const r = th(['reenact', '--source', empty, '--driver', CLIP, '--out', join(dir, 'o.mp4')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`th: error: ${empty}: source folder has no PNG/JPEG images\n`);
    const noDriver = th([
      'reenact',
      '--source',
      ...SOURCES,
      '--driver',
      'nope.mp4',
      '--out',
      'o.mp4',
    ]);
    expect(noDriver.code).toBe(1);
    expect(noDriver.stderr).toMatch(/nope\.mp4: driver not found \(--driver takes a video file/);
    const noWeights = th([...args(join(dir, 'o.mp4')), '--finetune', '--vgg19', 'vgg.safetensors']);
    expect(noWeights.code).toBe(1);
    expect(noWeights.stderr).toMatch(/vgg\.safetensors: --vgg19 weights file not found/);
    expect(readdirSync(dir)).toEqual(['empty']);
  });
});

describe('the bundled model', () => {
  it('th info bundled describes it', async () => {
    const r = th(['info', 'bundled']);
    expect(r.code).toBe(0);
    // The file package.json names, with the preset its metadata records.
    expect(r.stdout).toContain(`assets/${bundledModel}.safetensors\n`);
    const { meta } = await decodeCheckpoint(
      new Uint8Array(readFileSync(join(__dirname, `../../assets/${bundledModel}.safetensors`))),
    );
    expect(r.stdout).toMatch(new RegExp(`preset\\s+${meta.preset}\n`));
    expect(r.stdout).toMatch(/stored\s+(F32|F16) /);
    expect(r.stdout).toMatch(/sha256\s+[0-9a-f]{64} \(verified/);
  });

  it('--finetune with it says fine-tuning needs a discriminator and how to get one', () => {
    const r = th([
      'reenact',
      '--source',
      ...SOURCES,
      '--driver',
      CLIP,
      '--out',
      join(dir, 'f.mp4'),
      '--finetune',
      '--quiet',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /holds no discriminator \(the bundled model ships inference weights only\); fine-tuning needs one: pass --checkpoint with a full checkpoint, e\.g\. one written by th-train/,
    );
  });
});

/** Resolves once `check()` is true (polled), or rejects when the process exits first. */
function waitFor(child: ChildProcess, check: () => boolean, log: () => string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (check()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > 240_000) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`no temp file after 240 s; stderr so far:\n${log()}`));
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`th exited (${code}) before the condition held`));
    });
  });
}

describe('Ctrl-C', () => {
  it('stops the job, removes the unfinished video and exits 130', async () => {
    // A long driver (landmarks of one fixture frame, 3000 times) so that encoding is under way.
    const landmarks = JSON.parse(readFileSync(join(FIXTURES, 'landmarks.json'), 'utf8'));
    const frame = landmarks['train/id00017/OLguY5ofUrY/00003_rgb.png'];
    const driver = join(dir, 'long.json');
    writeFileSync(
      driver,
      JSON.stringify({ width: 224, height: 224, frames: Array(3000).fill(frame) }),
    );
    const outDir = join(dir, 'interrupted');
    mkdirSync(outDir);
    const child = spawn(
      process.execPath,
      [
        CLI,
        'reenact',
        '--source',
        ...SOURCES,
        '--driver',
        driver,
        '--out',
        join(outDir, 'o.mp4'),
        '--quiet',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor(
      child,
      () => readdirSync(outDir).some((f) => f.endsWith('.tmp.mp4')),
      () => stderr,
    );
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/th: interrupted; removed 1 unfinished file\(s\)/);
    await new Promise((r) => setTimeout(r, 500)); // an encoder left running would write on
    expect(readdirSync(outDir)).toEqual([]);
  });
});
