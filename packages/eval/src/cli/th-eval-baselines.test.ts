/**
 * `th-eval --baselines` end to end on a tiny synthetic FSTH folder whose frames are solid colours,
 * so every number has a closed form: copy-first must be source 0 byte for byte, source-mean the
 * rounded mean of the shots ⌊i·n/K⌋ (@th/data's evalShotIndices, the model's own rule), and PSNR
 * / SSIM of two solid images follow from their colours alone. Then model rows are added to the
 * same outputs folder and scored beside the baselines with `th-eval --outputs`.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalShotIndices, prepareDataset, templateFace, writePng } from '@th/data/node';
import { readPngRgb } from '@th/metrics/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runThEval, type ThEvalBackends } from './th-eval-run';

type Colour = [number, number, number];
const SIZE = 16;
const ID = 'id00001';
/** Four source frames and two hold-out frames, each one colour. */
const SOURCES: Colour[] = [
  [200, 40, 10],
  [10, 90, 250],
  [100, 141, 31],
  [0, 255, 128],
];
const HOLDOUT: Colour[] = [
  [120, 100, 60],
  [90, 130, 80],
];
const solid = (c: Colour) => ({
  width: SIZE,
  height: SIZE,
  data: Uint8Array.from({ length: SIZE * SIZE * 3 }, (_, i) => c[i % 3]!),
});

/** PSNR and skimage SSIM (constant windows: σ = 0) of two solid images, from their colours. */
function closedForm(real: Colour, fake: Colour) {
  const mse = real.reduce((s, v, c) => s + (v - fake[c]!) ** 2, 0) / 3;
  const c1 = (0.01 * 255) ** 2;
  const ssim =
    real.reduce((s, a, c) => s + (2 * a * fake[c]! + c1) / (a * a + fake[c]! ** 2 + c1), 0) / 3;
  return { psnr: 10 * Math.log10((255 * 255) / mse), ssim };
}
const meanOf = (cs: Colour[]) =>
  [0, 1, 2].map((c) => Math.round(cs.reduce((s, x) => s + x[c]!, 0) / cs.length)) as Colour;
const average = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

// Fast stand-ins for the face networks (ID-SIM / NMKE are not what this test checks).
const backends = (log: string[]): ThEvalBackends => ({
  log: (l) => log.push(l),
  detector: { name: 'none', detect: async () => null },
  embedder: { name: 'mean colour', embed: async (image) => [1, image.data[0]! / 255] },
});

describe('th-eval --baselines (solid-colour dataset, closed forms)', () => {
  let dir: string;
  let dataset: string;
  const lines: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'th-eval-baselines-'));
    const frames = join(dir, 'frames');
    const landmarks: Record<string, number[][]> = {};
    const face = templateFace(() => 0.5).map(([x, y]) => [(x * SIZE) / 224, (y * SIZE) / 224]);
    for (const [split, colours] of [
      ['train', SOURCES],
      ['test', HOLDOUT],
    ] as const) {
      const folder = join(frames, split, ID, 'video');
      await mkdir(folder, { recursive: true });
      for (const [i, c] of colours.entries()) {
        const name = `${String(i).padStart(5, '0')}_rgb.png`;
        await writePng(join(folder, name), solid(c));
        landmarks[`${split}/${ID}/video/${name}`] = face;
      }
    }
    await writeFile(join(dir, 'landmarks.json'), JSON.stringify(landmarks));
    dataset = join(dir, 'dataset');
    await prepareDataset({
      input: frames,
      out: dataset,
      landmarks: { file: join(dir, 'landmarks.json') },
      resolution: SIZE,
      workers: 0,
      log: { write: () => true },
    });
    await runThEval(
      ['--baselines', '--data', dataset, '--k', '1,2,4', '--out', join(dir, 'run')],
      backends(lines),
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes copy-first = source 0 and source-mean = mean of the ⌊i·n/K⌋ shots', async () => {
    for (const k of [1, 2, 4]) {
      const shots = evalShotIndices(SOURCES.length, k).map((i) => SOURCES[i]!);
      for (const frame of ['00000', '00001']) {
        const at = (b: string) => join(dir, 'run', 'outputs', String(k), b, ID, `${frame}.png`);
        const first = await readPngRgb(at('copy-first'));
        expect([first.width, first.height]).toEqual([SIZE, SIZE]);
        expect(Buffer.from(first.data).equals(Buffer.from(solid(SOURCES[0]!).data))).toBe(true);
        const mean = await readPngRgb(at('source-mean'));
        expect(Buffer.from(mean.data).equals(Buffer.from(solid(meanOf(shots)).data))).toBe(true);
      }
    }
    // K = 2 of 4 sources takes 0 and 2: (200+100)/2, (40+141)/2 = 90.5 → 91, (10+31)/2 = 20.5 → 21.
    expect(meanOf([SOURCES[0]!, SOURCES[2]!])).toEqual([150, 91, 21]);
    const record = JSON.parse(await readFile(join(dir, 'run', 'protocol.json'), 'utf8'));
    expect(record.checkpoint).toBeNull();
    const shotsOf = (k: number, s: string) =>
      record.runs.find((r: { k: number; setting: string }) => r.k === k && r.setting === s).shots;
    expect(shotsOf(2, 'source-mean')).toEqual(['00000', '00002']);
    expect(shotsOf(4, 'copy-first')).toEqual(['00000', '00001', '00002', '00003']);
    expect(lines.some((l) => /id00001 K=4 source-mean: 2 frames written/.test(l))).toBe(true);
  });

  it('scores the baselines with the closed-form PSNR and SSIM', async () => {
    const report = JSON.parse(await readFile(join(dir, 'run', 'report.json'), 'utf8'));
    for (const k of [1, 2, 4]) {
      const shots = evalShotIndices(SOURCES.length, k).map((i) => SOURCES[i]!);
      for (const [setting, output] of [
        ['copy-first', SOURCES[0]!],
        ['source-mean', meanOf(shots)],
      ] as const) {
        const d = report.details.find(
          (x: { k: number; setting: string }) => x.k === k && x.setting === setting,
        );
        const expected = HOLDOUT.map((real) => closedForm(real, output));
        expect(d.psnr).toBeCloseTo(average(expected.map((e) => e.psnr)), 10);
        expect(d.ssim).toBeCloseTo(average(expected.map((e) => e.ssim)), 10);
        expect(d.perIdentity).toEqual([{ identity: ID, pairs: 2, psnr: d.psnr, ssim: d.ssim }]);
      }
    }
    const rows = report.table.rows.map((r: { k: number; method: string }) => `${r.k} ${r.method}`);
    expect(rows).toEqual([
      '1 copy-first (baseline)',
      '1 source-mean (baseline)',
      '2 copy-first (baseline)',
      '2 source-mean (baseline)',
      '4 copy-first (baseline)',
      '4 source-mean (baseline)',
    ]);
    const md = await readFile(join(dir, 'run', 'report.md'), 'utf8');
    expect(md).toContain('No model rows were scored (baselines only).');
    expect(md).toContain('## Protocol run (th-eval --baselines)\n\nNo checkpoint (baselines only)');
  });

  it('scores model rows beside the baselines and says which beat both', async () => {
    // Stand-in "model" outputs at K = 1: meta = the real frame off by one level (beats both
    // baselines), ft = source 1, a wrong colour (below copy-first, which is source 0, in PSNR).
    const outputs = join(dir, 'run', 'outputs');
    const scored = join(dir, 'scored');
    await cp(outputs, join(scored, 'outputs'), { recursive: true });
    for (const [i, real] of HOLDOUT.entries()) {
      const frame = `${String(i).padStart(5, '0')}.png`;
      for (const [setting, colour] of [
        ['meta', real.map((v) => v + 1) as Colour],
        ['ft', SOURCES[1]!],
      ] as const) {
        const folder = join(scored, 'outputs', '1', setting, ID);
        await mkdir(folder, { recursive: true });
        await writePng(join(folder, frame), solid(colour));
      }
    }
    await runThEval(
      ['--outputs', join(scored, 'outputs'), '--real', join(dir, 'run', 'real')].concat([
        '--out',
        join(scored, 'report'),
        '--k',
        '1',
        '--method',
        'model',
      ]),
      backends([]),
    );
    const report = JSON.parse(await readFile(join(scored, 'report', 'report.json'), 'utf8'));
    expect(report.details.map((d: { setting: string }) => d.setting)).toEqual([
      'meta',
      'finetuned',
      'copy-first',
      'source-mean',
    ]);
    const model = report.table.rows[0];
    expect(model.method).toBe('model');
    expect(model.beatsBaselines).toEqual({ meta: { value: true }, finetuned: { value: false } });
    // Off by one level everywhere: MSE 1, PSNR = 20·log10(255).
    expect(report.details[0].psnr).toBeCloseTo(20 * Math.log10(255), 10);
    expect(report.baselines).toHaveLength(4); // (meta, ft) × (all identities, id00001)
    expect(report.baselines.map((b: { beatsBaselines: boolean }) => b.beatsBaselines)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const md = await readFile(join(scored, 'report', 'report.md'), 'utf8');
    expect(md).toContain(
      'Model rows that beat both baselines in PSNR and SSIM: **1 of 2** (not: K=1 ft).',
    );
    expect(md).toMatch(/\| id00001 \| 1 \| meta \| 2 \| 48\.13 \| 1\.000 \| yes \|/);
    expect(md).toMatch(/\| id00001 \| 1 \| source-mean \| 2 \| [\d.]+ \| 0\.\d{3} \| – \|/);
    const csv = (await readFile(join(scored, 'report', 'report.csv'), 'utf8')).split('\r\n');
    expect(csv[0]).toContain('ft beats both baselines (PSNR & SSIM)');
    expect(csv[2]).toMatch(/^1,copy-first \(baseline\),/);
  });

  it('--render-only stops before scoring; the same command elsewhere resumes and scores', async () => {
    // Rendered "on another machine": its own copy of the dataset at another path.
    const there = join(dir, 'there');
    await cp(dataset, join(there, 'dataset'), { recursive: true });
    const out = join(dir, 'moved-run');
    const first: string[] = [];
    const args = (data: string) => ['--baselines', '--data', data, '--k', '1,4', '--out', out];
    const returned = await runThEval(
      [...args(join(there, 'dataset')), '--render-only'],
      backends(first),
    );
    expect(returned).toBe(out);
    expect(first.at(-1)).toMatch(/not scored \(--render-only\): rerun without --render-only/);
    await expect(readFile(join(out, 'report.md'), 'utf8')).rejects.toThrow(/ENOENT/);
    const rendered = await readPngRgb(join(out, 'outputs', '4', 'source-mean', ID, '00001.png'));
    // Here: the dataset at its own path is the same data (matched by content), so nothing is
    // rendered again and everything is scored.
    const second: string[] = [];
    await runThEval(args(dataset), backends(second));
    expect(second.filter((l) => l.endsWith('outputs complete, skipped'))).toHaveLength(4);
    expect(second.some((l) => l.includes('frames written'))).toBe(false);
    const again = await readPngRgb(join(out, 'outputs', '4', 'source-mean', ID, '00001.png'));
    expect(Buffer.from(again.data).equals(Buffer.from(rendered.data))).toBe(true);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.details).toHaveLength(4); // K 1, 4 × copy-first, source-mean
    expect(report.protocol.data).toBe(dataset);
    // Other data in the same folder is refused, naming both hashes (a copy whose dataset.json
    // differs by whitespace stands in for a different dataset: its hash differs).
    const other = join(dir, 'other-data');
    await cp(dataset, other, { recursive: true });
    const description = join(other, 'dataset.json');
    await writeFile(description, `${await readFile(description, 'utf8')}\n `);
    await expect(runThEval(args(other), backends([]))).rejects.toThrow(
      /holds a run with data ".*dataset" \(sha256 [0-9a-f]{12}…\), not ".*other-data" \(sha256 [0-9a-f]{12}…\)/,
    );
  });

  it('explains misuse of --baselines and --settings', async () => {
    const run = (args: string[]) => runThEval(args, backends([]));
    await expect(run(['--baselines'])).rejects.toThrow(/--baselines needs --data DATASET/);
    await expect(run(['--data', dataset])).rejects.toThrow(
      /--data needs --checkpoint FILE \(render a model\) or --baselines/,
    );
    await expect(run(['--baselines', '--data', dataset, '--settings', 'meta'])).rejects.toThrow(
      /--settings meta needs --checkpoint FILE/,
    );
    await expect(
      run(['--outputs', dir, '--real', dir, '--settings', 'copy-first']),
    ).rejects.toThrow(/--settings is for --checkpoint\/--baselines with --data/);
    await expect(run(['--outputs', dir, '--real', dir, '--render-only'])).rejects.toThrow(
      /--render-only is for --checkpoint\/--baselines with --data/,
    );
    for (const lr of ['0', '-1e-4', 'fast'])
      await expect(run(['--baselines', '--data', dataset, `--finetune-lr=${lr}`])).rejects.toThrow(
        `--finetune-lr must be a positive number, got "${lr}"`,
      );
  });
});
