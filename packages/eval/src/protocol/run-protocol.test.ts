import { copyFile, cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors } from '@th/backend';
import { resizeImage } from '@th/data';
import { evalSubjects, prepareDataset } from '@th/data/node';
import { createSubject, loadModel, renderFrame } from '@th/infer';
import { psnr } from '@th/metrics';
import { readPngRgb } from '@th/metrics/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runThEval } from '../cli/th-eval-run';
import { BUNDLED_NAME, FIXTURES_DIR, FRAMES_DIR, TRAINED_CHECKPOINT } from '../testing/fixtures';
import { runProtocol } from './run-protocol';

// Fixtures prepared by th-data (224², committed face-api landmarks): 4 identities with 4 source
// ("train") and 2 hold-out ("test") frames each, so K ≤ 4 here (FSTH has 32 + 32). One identity,
// K 1 and 4, meta + a 2-step fine-tune, the bundled model's full checkpoint (with D).
const ID = 'id00017';
const SETTINGS = ['1/meta', '1/ft', '4/meta', '4/ft'];
const FRAMES = ['00000', '00001'];

describe('th-eval --checkpoint --data (fixtures, the bundled model with D)', () => {
  let dir: string;
  let dataset: string;
  const lines: string[] = [];
  let report: {
    details: { k: number; setting: string; psnr: number; ssim: number }[];
    protocol: {
      finetuneLearningRate: number | 'spec' | null;
      finetuneLosses: 'training' | 'lsr' | null;
      settings: { k: number; setting: string; l1: number; pairs: number }[];
      runs: {
        k: number;
        setting: string;
        shots: string[];
        finetune?: { steps: number; seconds: number; notes: string[] };
        renderMsPerFrame: number;
      }[];
    };
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'th-eval-protocol-'));
    dataset = join(dir, 'dataset');
    await prepareDataset({
      input: FRAMES_DIR,
      out: dataset,
      landmarks: { file: `${FIXTURES_DIR}landmarks.json` },
      workers: 0,
      log: { write: () => true },
    });
    await runThEval(
      [
        ...['--checkpoint', TRAINED_CHECKPOINT, '--data', dataset, '--identities', ID],
        ...['--k', '1,4', '--settings', 'meta,finetuned', '--finetune-steps', '2'],
        ...['--backend', 'wasm', '--out', dir],
      ],
      { log: (line) => lines.push(line) },
    );
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes every hold-out frame into the outputs layout at the ground truth size', async () => {
    for (const setting of SETTINGS)
      for (const frame of FRAMES) {
        const image = await readPngRgb(join(dir, 'outputs', setting, ID, `${frame}.png`));
        expect([image.width, image.height]).toEqual([224, 224]);
      }
    expect(lines.some((l) => /id00017 K=4 finetuned: fine-tune step 2\/2/.test(l))).toBe(true);
    expect(lines.some((l) => /id00017 K=1 meta: render 2\/2/.test(l))).toBe(true);
  });

  it('reports finite PSNR/SSIM per setting, and L1 within the bound L1 ≤ √MSE', async () => {
    expect(report.details.map((d) => `${d.k}/${d.setting}`).sort()).toEqual(
      ['1/finetuned', '1/meta', '4/finetuned', '4/meta'].sort(),
    );
    for (const d of report.details) {
      expect(Number.isFinite(d.psnr) && Number.isFinite(d.ssim)).toBe(true);
      const l1 = report.protocol.settings.find((s) => s.k === d.k && s.setting === d.setting)!;
      expect(l1.pairs).toBe(2);
      // Per image, mean|e| ≤ √mean(e²) (Jensen); averaged over images the bound still holds
      // with √MSE averaged, which PSNR gives back as 255·10^(−PSNR/20).
      const folder = join(dir, 'outputs', String(d.k), d.setting === 'meta' ? 'meta' : 'ft', ID);
      let rmsSum = 0;
      for (const frame of FRAMES) {
        const fake = await readPngRgb(join(folder, `${frame}.png`));
        // the ground truth the protocol wrote from the dataset is the fixture frame itself
        const real = await readPngRgb(
          join(FRAMES_DIR, 'test', ID, 'OLguY5ofUrY', `${frame}_rgb.png`),
        );
        const written = await readPngRgb(
          join(dir, 'real', 'test', ID, 'OLguY5ofUrY', `${frame}_rgb.png`),
        );
        expect(Buffer.from(written.data).equals(Buffer.from(real.data))).toBe(true);
        rmsSum += 255 * 10 ** (-psnr(real, fake) / 20);
      }
      expect(l1.l1).toBeGreaterThan(0);
      expect(l1.l1).toBeLessThanOrEqual(rmsSum / FRAMES.length + 1e-9);
    }
    const md = await readFile(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('## Protocol run (th-eval --checkpoint)');
    // Fine-tuning wall time per identity and K, with the backend that ran it.
    expect(md).toMatch(/\| id00017 \| 1 \| 2 \| \d+\.\d \| \d+\.\d{3} \| wasm \|/);
    expect(md).toMatch(/\| id00017 \| 4 \| 2 \| \d+\.\d \| \d+\.\d{3} \| wasm \|/);
  });

  it('records shots by the ⌊i·n/K⌋ rule, fine-tune steps and render time', () => {
    const run = (k: number, setting: string) =>
      report.protocol.runs.find((r) => r.k === k && r.setting === setting)!;
    expect(run(1, 'meta').shots).toEqual(['00000']);
    expect(run(4, 'finetuned').shots).toEqual(FRAMES.concat('00002', '00003'));
    expect(run(4, 'finetuned').finetune!.steps).toBe(2);
    expect(report.protocol.finetuneLearningRate).toBe('spec');
    // Fine-tuned with the bundled model's own training losses (its file records them: L1 1,
    // VGG19 0.1 on the random-feature proxy of its run's seed 0).
    expect(report.protocol.finetuneLosses).toBe('training');
    expect(run(4, 'finetuned').finetune!.notes[0]).toBe(
      "fine-tuning losses: the checkpoint's training losses (adversarial 1, L1 1, VGG19 0.1 (random-feature proxy, seed 0, as in training), R1/R2 γ 10/10)",
    );
    expect(lines).toContain(`th-eval: ${run(4, 'finetuned').finetune!.notes[0]}`);
    expect(run(4, 'finetuned').finetune!.seconds).toBeGreaterThan(0);
    expect(run(1, 'meta').finetune).toBeUndefined();
    expect(run(1, 'meta').renderMsPerFrame).toBeGreaterThan(0);
  });

  it('meta outputs come from the untouched model, fine-tuned ones differ', async () => {
    // Independent render: a fresh model, the K = 4 shots and hold-out landmarks from the dataset.
    let subject = null;
    for await (const s of evalSubjects(dataset, 4, [ID])) subject = s;
    const { model } = await loadModel(TRAINED_CHECKPOINT);
    const built = await createSubject({
      model,
      frames: subject!.shots.map((f) => ({ width: 224, height: 224, data: f.rgb })),
      landmarks: subject!.shots.map((f) => f.landmarks),
    });
    const target = subject!.targets.find((t) => t.id === '00001')!;
    const frame = await renderFrame(built, {
      landmarks: target.landmarks,
      width: 224,
      height: 224,
    });
    built.dispose();
    model.dispose();
    const meta = await readPngRgb(join(dir, 'outputs', '4', 'meta', ID, '00001.png'));
    const ft = await readPngRgb(join(dir, 'outputs', '4', 'ft', ID, '00001.png'));
    // The saved file is the model-resolution render brought to 224 by @th/data's resizeImage.
    const expected = resizeImage(frame.image, 224, 224);
    expect(Buffer.from(meta.data).equals(Buffer.from(expected.data))).toBe(true);
    expect(ft.data.some((v, i) => v !== meta.data[i])).toBe(true);
  });

  it('adds baselines to the same folder without a checkpoint, from the same shots', async () => {
    const result = await runProtocol({
      data: dataset,
      out: dir,
      ks: [1, 4],
      identities: [ID],
      settings: ['copy-first', 'source-mean'],
      log: () => {},
    });
    // The model run's checkpoint and step count stay on record (baselines depend on neither).
    expect(result.record.checkpoint).toBe(TRAINED_CHECKPOINT);
    expect(result.record.finetuneSteps).toBe(2);
    const modelShots = result.record.runs.find((r) => r.k === 4 && r.setting === 'meta')!.shots;
    expect(result.record.runs.find((r) => r.k === 4 && r.setting === 'source-mean')!.shots).toEqual(
      modelShots,
    );
    // copy-first at 224² is the first source frame as written to real/train, byte for byte.
    const first = await readPngRgb(
      join(dir, 'real', 'train', ID, 'OLguY5ofUrY', `${modelShots[0]}_rgb.png`),
    );
    const copy = await readPngRgb(join(dir, 'outputs', '4', 'copy-first', ID, '00001.png'));
    expect(Buffer.from(copy.data).equals(Buffer.from(first.data))).toBe(true);
  });

  it('resumes: a second run skips every complete setting and rewrites nothing', async () => {
    const file = join(dir, 'outputs', '1', 'ft', ID, '00000.png');
    const before = (await stat(file)).mtimeMs;
    const again: string[] = [];
    const result = await runProtocol({
      checkpoint: TRAINED_CHECKPOINT,
      data: dataset,
      out: dir,
      ks: [1, 4],
      identities: [ID],
      finetuneSteps: 2,
      backend: 'wasm',
      log: (l) => again.push(l),
    });
    expect(result.resumed.sort()).toEqual(
      ['id00017/1/meta', 'id00017/1/finetuned', 'id00017/4/meta', 'id00017/4/finetuned'].sort(),
    );
    expect(again.some((l) => l.includes('fine-tune step'))).toBe(false);
    expect((await stat(file)).mtimeMs).toBe(before);
    // A record written before --finetune-lr and --finetune-losses existed (no such fields)
    // resumes as LSR's rate and LSR's losses, which is what it used.
    const recordPath = join(dir, 'protocol.json');
    const { finetuneLearningRate, finetuneLosses, ...older } = JSON.parse(
      await readFile(recordPath, 'utf8'),
    );
    expect([finetuneLearningRate, finetuneLosses]).toEqual(['spec', 'training']);
    await writeFile(recordPath, JSON.stringify(older));
    const resumed = await runProtocol({
      checkpoint: TRAINED_CHECKPOINT,
      data: dataset,
      out: dir,
      ks: [1],
      identities: [ID],
      finetuneSteps: 2,
      finetuneLosses: 'lsr',
      backend: 'wasm',
      log: () => {},
    });
    expect(resumed.resumed).toHaveLength(2);
    expect(resumed.record.finetuneLearningRate).toBe('spec');
    expect(resumed.record.finetuneLosses).toBe('lsr');
    // Put the folder back as the other tests expect it (training losses).
    await writeFile(recordPath, JSON.stringify({ ...resumed.record, finetuneLosses: 'training' }));
  });

  it('resumes a folder rendered elsewhere: checkpoint and dataset matched by content', async () => {
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    await copyFile(TRAINED_CHECKPOINT, join(elsewhere, 'model.safetensors'));
    await cp(dataset, join(elsewhere, 'data'), { recursive: true });
    const moved = {
      checkpoint: join(elsewhere, 'model.safetensors'),
      data: join(elsewhere, 'data'),
      out: dir,
      ks: [1, 4],
      identities: [ID],
      finetuneSteps: 2,
      backend: 'wasm' as const,
      log: () => {},
    };
    const result = await runProtocol(moved);
    expect(result.resumed).toHaveLength(4);
    expect(result.record.checkpoint).toBe(moved.checkpoint); // the record names this place now
    // Another model at the same path is refused: its recorded tensor-data hash differs.
    const file = decodeSafetensors(new Uint8Array(await readFile(TRAINED_CHECKPOINT)));
    const other = { ...file.metadata, data_sha256: 'f'.repeat(64) };
    await writeFile(moved.checkpoint, encodeSafetensors(file.tensors, other));
    await expect(runProtocol(moved)).rejects.toThrow(
      /holds a run with checkpoint ".*\.safetensors" \(sha256 [0-9a-f]{12}…\), not ".*model\.safetensors" \(sha256 f{12}…\)/,
    );
  });

  it('refuses K above the source frames and unknown identities, naming them', async () => {
    const base = {
      checkpoint: TRAINED_CHECKPOINT,
      data: dataset,
      out: join(dir, 'x'),
      log: () => {},
    };
    await expect(runProtocol({ ...base, ks: [8], identities: [ID] })).rejects.toThrow(
      /id00017 has 4 source frames; K = 8 needs more/,
    );
    await expect(runProtocol({ ...base, identities: ['id99999'] })).rejects.toThrow(
      /identity "id99999" not found/,
    );
    await expect(
      runProtocol({ ...base, out: dir, ks: [1], identities: [ID], finetuneSteps: 3 }),
    ).rejects.toThrow(/holds a run with finetuneSteps 2, not 3; use another --out/);
    // So is another fine-tuning learning rate, and one that is not a positive number.
    const same = { ...base, out: dir, ks: [1], identities: [ID], finetuneSteps: 2 };
    await expect(runProtocol({ ...same, finetuneLearningRate: 1e-4 })).rejects.toThrow(
      /holds a run with finetuneLearningRate "spec", not 0\.0001; use another --out/,
    );
    await expect(runProtocol({ ...same, finetuneLearningRate: 0 })).rejects.toThrow(
      '--finetune-lr must be a positive number, got 0',
    );
    // And other fine-tuning losses: LSR's defaults are not the checkpoint's training losses.
    await expect(runProtocol({ ...same, finetuneLosses: 'lsr' })).rejects.toThrow(
      /holds a run with finetuneLosses "training", not "lsr"; use another --out/,
    );
    // The bundled model has no discriminator: the finetuned setting is refused before any run.
    await expect(
      runProtocol({ ...base, checkpoint: 'bundled', identities: [ID], ks: [1] }),
    ).rejects.toThrow(
      `${BUNDLED_NAME}.safetensors holds no discriminator (the bundled model ships inference weights only); the finetuned setting needs one: pass --checkpoint with a full checkpoint (e.g. one written by th-train), or --settings meta`,
    );
  });
});
