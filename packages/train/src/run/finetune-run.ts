import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '@th/data/node';
import { encodeCheckpoint } from '@th/models';
import { loadFolderStore } from '../data/folder-source';
import type { FrameStore, StoredFrame } from '../data/frame-store';
import { FineTuner } from '../loop/finetune';
import { evaluateHoldout, type HoldoutMetrics } from './holdout-eval';
import { appendLog, appendMetrics, formatRow, type MetricsRow } from './metrics-log';
import { createRunDir } from './run-dir';
import { buildModel, loadWeights, lossesOf, vgg19Of, vggFaceOf } from './run-setup';
import type { TrainConfig } from './train-config';

export interface FineTuneRunResult {
  runDir: string;
  video: string;
  steps: number;
  before: HoldoutMetrics;
  after: HoldoutMetrics;
}

/**
 * Subject fine-tuning as a run (docs/design.md#finetuning): load the meta-learned model
 * (`config.init`), take the
 * K shots of one video (indices ⌊i·n/K⌋ of its sorted source frames), evaluate its held-out frames,
 * fine-tune G^l, G^I, D with frozen latents, evaluate again, save the fine-tuned weights.
 */
export async function finetuneRun(
  config: TrainConfig,
  options: {
    stores?: { source: FrameStore; holdout: FrameStore };
    log?: (line: string) => void;
  } = {},
): Promise<FineTuneRunResult> {
  if (!config.init)
    throw new Error(
      'fine-tuning needs the meta-learned model: set init (or --init PATH) to a checkpoint',
    );
  const say = options.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const paths = await createRunDir(
    config.run.parent,
    config.run.desc ?? `${config.preset}-finetune`,
  );
  const log = (line: string) => {
    say(line);
    void appendLog(paths.log, line);
  };
  await writeFile(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  const r = buildModel(config).config.resolution;
  const stores =
    options.stores ??
    (await (async () => {
      const opts = { resolution: r, landmarkCache: config.data.cache ?? paths.landmarkCache, log };
      const holdoutDir = config.data.holdout;
      if (!holdoutDir)
        throw new Error(
          'fine-tuning evaluation needs data.holdout (held-out frames of the subject)',
        );
      return {
        source: await loadFolderStore(config.finetune.sourceFrames ?? config.data.train, opts),
        holdout: await loadFolderStore(holdoutDir, opts),
      };
    })());
  const video = stores.source.videos.find((v) =>
    config.finetune.video
      ? v.id === config.finetune.video
      : stores.holdout.videos.some((h) => h.id === v.id),
  );
  if (!video)
    throw new Error(
      `fine-tuning: no source video ${config.finetune.video ?? 'with held-out frames'} found`,
    );
  const one = (s: FrameStore): FrameStore => ({
    resolution: s.resolution,
    videos: s.videos.filter((v) => v.id === video.id),
  });
  const model = buildModel(config);
  await loadWeights(config.init, model, null);
  const k = config.k;
  const shots = Array.from(
    { length: k },
    (_, i) => video.frames[Math.floor((i * video.frames.length) / k)]!,
  );
  const stack = (fs: StoredFrame[], pick: (f: StoredFrame) => Float32Array) => {
    const out = new Float32Array(fs.length * r * r * 3);
    for (const [i, f] of fs.entries()) out.set(pick(f), i * r * r * 3);
    return out;
  };
  const before = await evaluateHoldout(model, one(stores.source), one(stores.holdout), k);
  log(
    `fine-tuning ${video.id}, K ${k}, targets: ${config.finetune.targets}; before: L1 ${before.l1.toFixed(4)} PSNR ${before.psnr.toFixed(2)}`,
  );
  const shotT = tf.tensor5d(
    stack(shots, (f) => f.rgb),
    [1, k, r, r, 3],
  );
  const shotL = tf.tensor5d(
    stack(shots, (f) => f.landmarks),
    [1, k, r, r, 3],
  );
  const all = video.frames;
  const targets =
    config.finetune.targets === 'all'
      ? {
          images: tf.tensor4d(
            stack(all, (f) => f.rgb),
            [all.length, r, r, 3],
          ),
          landmarks: tf.tensor4d(
            stack(all, (f) => f.landmarks),
            [all.length, r, r, 3],
          ),
        }
      : undefined;
  const tuner = new FineTuner(
    model,
    { shots: shotT, shotLandmarks: shotL, targets },
    {
      steps: config.finetune.steps ?? undefined,
      learningRate: config.schedule.baseLearningRate,
      losses: lossesOf(config),
      vgg19: await vgg19Of(config, log),
      vggFace: await vggFaceOf(config, log),
      seed: config.seed,
    },
  );
  tf.dispose([shotT, shotL, ...(targets ? [targets.images, targets.landmarks] : [])]);
  const started = performance.now();
  const rows: MetricsRow[] = [];
  for (let i = 0; i < tuner.steps; i++) {
    const t0 = performance.now();
    const res = await tuner.step();
    const { lr, ...losses } = res.losses;
    const row: MetricsRow = {
      step: i + 1,
      examples: i + 1,
      lr: lr!,
      examplesPerSecond: 1000 / (performance.now() - t0),
      losses,
    };
    if (!res.applied) {
      row.skipped = true;
      log(`step ${i + 1}: skipped (${res.problem})`);
    }
    rows.push(row);
    await appendMetrics(paths.metrics, row);
    void appendLog(paths.log, formatRow(row));
  }
  const after = await evaluateHoldout(model, one(stores.source), one(stores.holdout), k);
  log(
    `after ${tuner.steps} steps (${((performance.now() - started) / 1000).toFixed(1)} s): L1 ${after.l1.toFixed(4)} PSNR ${after.psnr.toFixed(2)}`,
  );
  await appendMetrics(paths.metrics, {
    ...rows.at(-1)!,
    eval: { l1Before: before.l1, psnrBefore: before.psnr, l1: after.l1, psnr: after.psnr },
  });
  const bytes = await encodeCheckpoint(model.stateDict(), {
    config: model.config,
    preset: config.preset,
    extra: { finetuned: video.id, k },
  });
  await writeFileAtomic(join(paths.checkpoints, 'finetuned.safetensors'), bytes);
  tuner.dispose();
  model.dispose();
  return { runDir: paths.root, video: video.id, steps: tuner.steps, before, after };
}
