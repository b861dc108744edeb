/**
 * The whole pipeline through its command lines, as a user runs it (issue #15): a raw VoxCeleb2
 * clip (repository fixture) → `th-data prepare` (face-api landmarks, 64²) → `th-train` stage 1
 * and stage 2 on that dataset → `th-eval --checkpoint` with the checkpoint th-train wrote, on the
 * same dataset → `th reenact --checkpoint` with that same checkpoint (Adam moments and all: no
 * strip step). lsr-64 at full width, batch 1, K 2, two steps per stage: it checks that the pieces
 * fit together, not that the model learns (the smoke test in @th/train does that).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const bin = (pkg: string, file: string) =>
  join(dirname(require.resolve(`${pkg}/package.json`)), 'dist', file);
const TH_DATA = bin('@th/data', 'cli.js');
const TH_TRAIN = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TH_EVAL = bin('@th/eval', 'th-eval.js');
const TH = bin('@th/infer', 'cli.js');
const FIXTURES = fileURLToPath(new URL('../../../fixtures/voxceleb2/', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function run(file: string, args: string[]): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

/** Run and require success, showing the command's output when it fails. */
async function ok(name: string, file: string, args: string[]): Promise<Run> {
  const r = await run(file, args);
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  console.log(`end-to-end: ${name} ${r.seconds.toFixed(1)} s`);
  return r;
}

describe('raw clip → th-data prepare → th-train (2 stages) → th-eval → th reenact', () => {
  let dir = '';
  const started = performance.now();
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'th-e2e-'));
    await mkdir(join(dir, 'raw/id00017/OLguY5ofUrY'), { recursive: true });
    await copyFile(
      join(FIXTURES, 'videos/id00017/OLguY5ofUrY/00039.mp4'),
      join(dir, 'raw/id00017/OLguY5ofUrY/00039.mp4'),
    );
  });
  afterAll(async () => {
    console.log(`end-to-end: total ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs every command on the output of the previous one', async () => {
    const dataset = join(dir, 'dataset');
    const prepared = await ok('th-data prepare', TH_DATA, [
      'prepare',
      join(dir, 'raw'),
      '--out',
      dataset,
      '--resolution',
      '64',
      '--workers',
      '1',
    ]);
    const summary = JSON.parse(prepared.stdout);
    expect(summary).toMatchObject({ utterances: 1, failures: 0, resolution: 64 });
    expect(summary.frames).toBeGreaterThanOrEqual(6); // LSR's frame rule: ~10 of a clip

    const common = [
      ...['--data', dataset, '--preset', 'lsr-64', '--batch', '1', '--k', '2'],
      ...['--steps', '2', '--backend', 'wasm', '--run-dir', join(dir, 'runs')],
      ...['--set', 'vgg19=off', '--set', 'checkpointEvery=2', '--set', 'sampleEvery=2'],
      ...['--loader-workers', '1'],
    ];
    const stage1 = await ok('th-train stage 1', TH_TRAIN, [...common, '--stage', '1']);
    const s1 = JSON.parse(stage1.stdout.trim().split('\n').at(-1)!);
    expect(s1.step).toBe(2);
    expect(Number.isFinite(s1.last.losses.layoutCrossEntropy)).toBe(true);
    expect(stage1.stderr).toMatch(/no hold-out split/); // a clip has no FSTH test frames
    const init1 = join(s1.runDir, 'checkpoints', 'step-0000002.safetensors');

    const stage2 = await ok('th-train stage 2', TH_TRAIN, [
      ...common,
      ...['--stage', '2', '--init', init1],
    ]);
    const s2 = JSON.parse(stage2.stdout.trim().split('\n').at(-1)!);
    expect(stage2.stderr).toMatch(/warm start from .*step-0000002\.safetensors/);
    expect(Number.isFinite(s2.last.losses['g.l1'])).toBe(true);
    // The trainer's checkpoint, optimiser moments included, is what evaluation and inference get.
    const checkpoint = join(s2.runDir, 'checkpoints', 'step-0000002.safetensors');
    expect((await readFile(checkpoint)).includes('optim.g.m/')).toBe(true);

    const report = join(dir, 'report');
    await ok('th-eval --checkpoint', TH_EVAL, [
      ...['--checkpoint', checkpoint, '--data', dataset, '--out', report],
      ...['--k', '1', '--settings', 'meta,finetuned', '--finetune-steps', '1', '--backend', 'wasm'],
    ]);
    const json = JSON.parse(await readFile(join(report, 'report.json'), 'utf8'));
    const targets = summary.frames - Math.ceil(summary.frames / 2); // the clip's second half
    for (const setting of ['meta', 'finetuned']) {
      const d = json.details.find(
        (x: { k: number; setting: string }) => x.k === 1 && x.setting === setting,
      );
      expect(d.pairs).toBe(targets);
      expect(Number.isFinite(d.psnr)).toBe(true);
    }
    expect(
      json.protocol.runs.find((r: { setting: string }) => r.setting === 'finetuned').finetune.steps,
    ).toBe(1);

    const video = join(dir, 'reenact.mp4');
    const reenact = await ok('th reenact --checkpoint', TH, [
      'reenact',
      ...['--checkpoint', checkpoint, '--out', video, '--max-frames', '3', '--backend', 'wasm'],
      ...['--source', join(FIXTURES, 'frames/train/id00017/OLguY5ofUrY/00000_rgb.png')],
      ...['--driver', join(FIXTURES, 'videos/id00017/OLguY5ofUrY/00039.mp4')],
    ]);
    expect(reenact.stdout).toMatch(/wrote 3 frames to .*reenact\.mp4/);
    expect((await stat(video)).size).toBeGreaterThan(1000);
  });
});
