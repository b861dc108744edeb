import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  type EvalSubject,
  evalSplits,
  evalSubjects,
  readFrames,
  signedUnits,
  writeFileAtomic,
} from '@th/data/node';
import { encodeCheckpoint } from '@th/models';
import { FineTuner } from '../loop/finetune';
import { describeLossScaleEvent } from '../optim/loss-scale';
import { evaluateHoldout, type HoldoutMetrics } from './holdout-eval';
import { appendMetrics, formatRow, type MetricsRow, RunLog } from './metrics-log';
import { createRunDir } from './run-dir';
import {
  buildModel,
  loadWeights,
  lossesOf,
  resolutionOf,
  trainingDataset,
  vgg19Of,
  vggFaceOf,
} from './run-setup';
import { applyPrecision, lossScaleOptions, type TrainConfig } from './train-config';

export interface FineTuneRunResult {
  runDir: string;
  identity: string;
  steps: number;
  before: HoldoutMetrics;
  after: HoldoutMetrics;
}

/**
 * Subject fine-tuning as a run (docs/design.md#finetuning), on the prepared dataset (`config.data`,
 * the same input as training): load the meta-learned model (`config.init`), take one identity's K
 * shots (⌊i·n/K⌋ of its sorted source frames, @th/data's evaluation sampler), evaluate its hold-out
 * frames, fine-tune G^l, G^I, D with frozen latents, evaluate again, save the fine-tuned weights.
 */
export async function finetuneRun(
  config: TrainConfig,
  options: { log?: (line: string) => void } = {},
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
  const runLog = new RunLog(paths.log, say);
  const log = (line: string) => {
    say(line);
    runLog.write(line);
  };
  await writeFile(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  const r = resolutionOf(config);
  const dataset = await trainingDataset(config, log);
  const splits = await evalSplits(
    dataset,
    config.finetune.identity ? [config.finetune.identity] : undefined,
  );
  const split = splits[0]!;
  const k = config.k;
  let subject: EvalSubject | undefined;
  for await (const s of evalSubjects(dataset, k, [split.identity])) subject = s;
  if (!subject) throw new Error(`fine-tuning: no evaluation subject for ${split.identity}`);
  const precision = config.precision ?? 'f32';
  applyPrecision(precision, log);
  const model = buildModel(config);
  try {
    await loadWeights(config.init, model, null);
    const before = await evaluateHoldout(model, [subject]);
    log(
      `fine-tuning ${split.identity}, K ${k}, targets: ${config.finetune.targets}; before: L1 ${before.l1.toFixed(4)} PSNR ${before.psnr.toFixed(2)}`,
    );
    const shotT = tf.tensor5d(signedUnits(subject.shots.map((f) => f.rgb)), [1, k, r, r, 3]);
    const shotL = tf.tensor5d(signedUnits(subject.shots.map((f) => f.landmarkImage)), [
      1,
      k,
      r,
      r,
      3,
    ]);
    const all =
      config.finetune.targets === 'all'
        ? await readFrames(dataset, split.sources.entry, split.sources.ids)
        : null;
    const targets = all
      ? {
          images: tf.tensor4d(signedUnits(all.map((f) => f.rgb)), [all.length, r, r, 3]),
          landmarks: tf.tensor4d(signedUnits(all.map((f) => f.landmarkImage)), [
            all.length,
            r,
            r,
            3,
          ]),
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
        lossScale: precision === 'mixed' && lossScaleOptions(config),
        captureSteps: config.captureSteps ?? false,
        log,
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
      } else if (res.lossScale?.event) {
        log(`step ${i + 1}: ${describeLossScaleEvent(res.lossScale.event)}`);
      }
      if (res.lossScale) row.lossScale = res.lossScale.scale;
      rows.push(row);
      await appendMetrics(paths.metrics, row);
      runLog.write(formatRow(row));
    }
    const after = await evaluateHoldout(model, [subject]);
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
      extra: { finetuned: split.identity, k },
    });
    await writeFileAtomic(join(paths.checkpoints, 'finetuned.safetensors'), bytes);
    tuner.dispose();
    const lost = await runLog.flush();
    if (lost) say(`${paths.log}: ${lost} line(s) could not be written`);
    return { runDir: paths.root, identity: split.identity, steps: tuner.steps, before, after };
  } finally {
    model.dispose();
  }
}
