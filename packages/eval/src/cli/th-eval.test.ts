import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resizeImage } from '@th/data';
import { writePng } from '@th/data/node';
import { psnr } from '@th/metrics';
import { listFsthFrames, readPngRgb } from '@th/metrics/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAMES_DIR } from '../testing/fixtures';
import { runThEval } from './th-eval-run';

type Rgb = Awaited<ReturnType<typeof readPngRgb>>;

/** Softer: down to half size and back up (area, then bilinear). */
const blurred = (image: Rgb): Rgb => ({
  ...resizeImage(resizeImage(image, image.width / 2, image.height / 2), image.width, image.height),
  channels: 3,
});

/** ±amplitude noise from a fixed integer sequence (deterministic). */
const noisy = (image: Rgb, amplitude: number): Rgb => ({
  ...image,
  data: image.data.map((v, i) =>
    Math.max(0, Math.min(255, v + ((i * 7919) % (2 * amplitude + 1)) - amplitude)),
  ),
});

// Synthetic "outputs" built from the fixture hold-out frames (4 identities x 2 frames):
//   K=1 meta: the same frame number of ANOTHER identity (wrong person, wrong pose)
//   K=1 ft:   the real frame blurred (right person, right pose, softer)
//   K=4 meta: the real frame with ±6 noise (frame 00000 only)
describe('th-eval over an outputs folder (fixtures, real offline backends)', () => {
  let dir: string;
  let expectedFtPsnr: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'th-eval-'));
    const targets = (await listFsthFrames(FRAMES_DIR)).filter((f) => f.split === 'test');
    const identities = [...new Set(targets.map((t) => t.identity))];
    const ftPsnrs: number[] = [];
    for (const t of targets) {
      const other = identities[(identities.indexOf(t.identity) + 1) % identities.length]!;
      const otherFrame = targets.find((u) => u.identity === other && u.frame === t.frame)!;
      const real = await readPngRgb(t.path);
      const outputs: [string, Rgb][] = [
        ['1/meta', await readPngRgb(otherFrame.path)],
        ['1/ft', blurred(real)],
      ];
      // K=4 only on one frame per identity, to keep the test fast.
      if (t.frame === '00000') outputs.push(['4/meta', noisy(real, 6)]);
      for (const [setting, image] of outputs) {
        const folder = join(dir, 'outputs', setting, t.identity);
        await mkdir(folder, { recursive: true });
        await writePng(join(folder, `${t.frame}.png`), image);
      }
      ftPsnrs.push(psnr(real, outputs[1]![1]));
    }
    expectedFtPsnr = ftPsnrs.reduce((a, b) => a + b, 0) / ftPsnrs.length;
    await runThEval(
      [
        '--outputs',
        join(dir, 'outputs'),
        '--real',
        FRAMES_DIR,
        '--out',
        join(dir, 'report'),
        '--k',
        '1,4',
      ],
      { log: () => {} },
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the Table-2 report with honest labels and n/a reasons', async () => {
    const md = await readFile(join(dir, 'report', 'report.md'), 'utf8');
    expect(md).toContain('ID-SIM (MobileFace, offline ArcFace proxy)');
    expect(md).toContain('NMKE (face-api landmark68, ÷IOD)');
    expect(md).toMatch(/LPIPS needs .*--lpips-weights/);
    expect(md).toMatch(/FID needs .*--fid-weights/);
    expect(md).toContain('supplement Figure 1');
    const csv = await readFile(join(dir, 'report', 'report.csv'), 'utf8');
    expect(csv.split('\n')[0]).toContain('ft PSNR');
    const svg = await readFile(join(dir, 'report', 'metrics-vs-k.svg'), 'utf8');
    expect(svg.match(/<polyline/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('ranks the synthetic outputs the way the metrics should', async () => {
    const report = JSON.parse(await readFile(join(dir, 'report', 'report.json'), 'utf8'));
    const detail = (k: number, setting: string) =>
      report.details.find(
        (d: { k: number; setting: string }) => d.k === k && d.setting === setting,
      );
    const wrongPerson = detail(1, 'meta');
    const blurred = detail(1, 'finetuned');
    const noisy = detail(4, 'meta');
    expect(blurred.pairs).toBe(8);
    // PSNR agrees with a direct per-image computation (an independent path through the code).
    expect(blurred.psnr).toBeCloseTo(expectedFtPsnr, 10);
    expect(blurred.psnr).toBeGreaterThan(wrongPerson.psnr + 5);
    expect(blurred.idSim.mean).toBeGreaterThan(wrongPerson.idSim.mean + 0.2);
    expect(noisy.idSim.mean).toBeGreaterThan(0.9);
    expect(blurred.nmke.interocular).toBeLessThan(wrongPerson.nmke.interocular);
    expect(noisy.nmke.interocular).toBeLessThan(0.1);
    // Every pair is either scored or counted as a failure.
    for (const d of report.details) {
      expect(
        d.idSim.scored + Math.max(d.idSim.failedGenerated, d.idSim.failedReal),
      ).toBeGreaterThanOrEqual(d.pairs);
      expect(d.nmke.scored + d.nmke.failedGenerated + d.nmke.failedReal).toBeGreaterThanOrEqual(
        d.pairs,
      );
    }
    expect(report.pose.bucketed + report.pose.withoutLandmarks).toBe(8);
  });

  it("aligns ID-SIM on the real frame's landmarks unless --id-align detect", async () => {
    const points = Array.from({ length: 68 }, (_, i) => [40 + i, 60 + (i % 7)] as [number, number]);
    const run = async (align: string) => {
      const seen: (readonly (readonly [number, number])[] | undefined)[] = [];
      await runThEval(
        [
          '--outputs',
          join(dir, 'outputs'),
          '--real',
          FRAMES_DIR,
          '--out',
          join(dir, `a-${align}`),
        ].concat(['--k', '1', '--id-align', align]),
        {
          log: () => {},
          detector: { name: 'fixed', detect: async () => points },
          embedder: {
            name: 'recorder',
            embed: async (image, landmarks) => {
              seen.push(landmarks);
              return [1, image.data[0]! + 1];
            },
          },
        },
      );
      return seen;
    };
    const truth = await run('ground-truth');
    expect(truth.length).toBeGreaterThan(0);
    for (const l of truth) expect(l).toEqual(points);
    const detect = await run('detect');
    expect(detect.length).toBe(truth.length);
    for (const l of detect) expect(l).toBeUndefined();
    await expect(
      runThEval(['--outputs', dir, '--real', FRAMES_DIR, '--id-align', 'eyes'], { log: () => {} }),
    ).rejects.toThrow(/--id-align must be ground-truth or detect/);
  });

  it('--identities scores only those identities (one report per group of one folder)', async () => {
    const targets = (await listFsthFrames(FRAMES_DIR)).filter((f) => f.split === 'test');
    const [a, b] = [...new Set(targets.map((t) => t.identity))].sort();
    const fast = {
      log: () => {},
      detector: { name: 'none', detect: async () => null },
      embedder: { name: 'constant', embed: async () => [1, 0] },
    };
    const out = join(dir, 'two-identities');
    const args = ['--outputs', join(dir, 'outputs'), '--real', FRAMES_DIR, '--k', '1,4'];
    await runThEval([...args, '--out', out, '--identities', `${a},${b}`], fast);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    const ft = report.details.find((d: { setting: string }) => d.setting === 'finetuned');
    // The blurred frames of these two identities only, PSNR computed directly.
    const mine = targets.filter((t) => t.identity === a || t.identity === b);
    let sum = 0;
    for (const t of mine) sum += psnr(await readPngRgb(t.path), blurred(await readPngRgb(t.path)));
    expect(ft.pairs).toBe(mine.length);
    expect(ft.psnr).toBeCloseTo(sum / mine.length, 10);
    expect(ft.perIdentity.map((p: { identity: string }) => p.identity)).toEqual([a, b]);
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain(`; identities ${a}, ${b}`);
    await expect(
      runThEval([...args, '--out', join(dir, 'x'), '--identities', `${a},id99999`], fast),
    ).rejects.toThrow(/no outputs for --identities id99999/);
    await expect(runThEval([...args, '--report', join(dir, 'r')], fast)).rejects.toThrow(
      /--report is for --checkpoint\/--baselines with --data/,
    );
  });

  it('explains missing inputs and misused model-mode flags', async () => {
    await expect(runThEval(['--outputs', dir], { log: () => {} })).rejects.toThrow(
      /give --outputs DIR --real DIR \(score generated frames\), --checkpoint FILE --data DATASET \(render and score\), or --baselines --data DATASET/,
    );
    await expect(runThEval(['--checkpoint', 'x.ckpt'], { log: () => {} })).rejects.toThrow(
      /--checkpoint and --data go together/,
    );
    await expect(
      runThEval(['--checkpoint', 'x.ckpt', '--data', dir, '--outputs', dir], { log: () => {} }),
    ).rejects.toThrow(/not both/);
    await expect(
      runThEval(['--checkpoint', 'x.ckpt', '--data', dir], { log: () => {} }),
    ).rejects.toThrow(/--checkpoint x\.ckpt: no such file or folder/);
  });
});
