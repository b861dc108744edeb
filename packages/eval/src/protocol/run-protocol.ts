/**
 * The generation side of the FSTH protocol (docs/design.md#fsth-protocol) for `th-eval
 * --checkpoint` / `--baselines`, on a prepared dataset (the same input `th-train` reads): for
 * every identity, K and setting, take @th/data's evaluation subject (the K shots ⌊i·n/K⌋ of the
 * sorted source frames and every hold-out frame, with the landmarks `prepare` found), build the
 * subject, fine-tune it (finetuned setting; targets = the K shots, docs/design.md#finetune-targets),
 * and render every hold-out frame from its landmarks into
 * `<out>/outputs/<K>/<meta|ft>/<identity>/NNNNN.png`. The baselines (copy-first, source-mean) are
 * made from the same subject's shots, with no model, into `<K>/<copy-first|source-mean>/`. The
 * hold-out and source frames themselves are written to
 * `<out>/real/{test,train}/<identity>/<video>/NNNNN_rgb.png`, so the outputs folder and the real
 * folder are exactly what `th-eval --outputs --real` evaluates. All model work goes through
 * @th/infer; all frames come from the dataset (no second landmark detector, no second resampler:
 * outputs are brought to the frame size with @th/data's `resizeImage`).
 */
import { access, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BackendPreference, currentBackend, decodeSafetensors, init } from '@th/backend';
import type { EvalSubject, StoredFrame } from '@th/data';
import { ensureDataset, evalSplits, evalSubjects, lineSink, writePng } from '@th/data/node';
import {
  createSubject,
  type FinetuneLosses,
  isFinetuneLosses,
  type LoadedModel,
  loadModel,
  type TrainingObjective,
  trainingObjective,
} from '@th/infer';
import { bundledModelPath } from '@th/infer/node';
import { isBaseline, type OutputsSetting } from '@th/metrics';
import { renderBaseline } from './baseline-frames';
import { datasetSha256 } from './dataset-hash';
import { DEFAULT_KS, DEFAULT_MODEL_SETTINGS, SETTING_DIRS } from './protocol-plan';
import { openRecord, type ProtocolRecord, runKey, saveRun } from './protocol-record';
import { renderHoldout, settingComplete } from './render-holdout';

export interface ProtocolOptions {
  /**
   * A checkpoint file (th-train's own checkpoints included), or "bundled" for @th/infer's model.
   * Needed for the model settings only; without it only baselines are rendered.
   */
  readonly checkpoint?: string;
  /** A dataset made by `th-data prepare`, or a folder of frames/clips prepared into `dataCache`. */
  readonly data: string;
  /** Where a raw `data` folder is prepared to (default `<out>/dataset`). */
  readonly dataCache?: string;
  /** Run folder: outputs/, real/ and protocol.json go here. */
  readonly out: string;
  readonly ks?: readonly number[];
  /** Default meta, finetuned (a checkpoint is needed); copy-first and source-mean need none. */
  readonly settings?: readonly OutputsSetting[];
  readonly identities?: readonly string[];
  /** Overrides LSR's steps-by-K rule (docs/design.md#finetuning). */
  readonly finetuneSteps?: number;
  /** Overrides fine-tuning's lr₀ (LSR's 1e-3; docs/design.md#finetuning). */
  readonly finetuneLearningRate?: number;
  /**
   * Fine-tuning's loss weights: 'training' (default) those the checkpoint was trained with, as
   * th-train records them, its VGG19 proxy included (@th/infer `trainingObjective`; LSR's when
   * it records none); 'lsr' LSR's defaults, perceptual terms off without their networks.
   */
  readonly finetuneLosses?: FinetuneLosses;
  /** Fine-tune with captured steps (@th/infer `captureSteps`; WebGPU only, else eager). */
  readonly captureSteps?: boolean;
  readonly backend?: BackendPreference;
  /** Progress lines (default stderr). */
  readonly log?: (line: string) => void;
}

export interface ProtocolResult {
  readonly outputsDir: string;
  /** ground truth in the FSTH layout (test/ hold-out, train/ sources) */
  readonly realDir: string;
  readonly recordPath: string;
  readonly record: ProtocolRecord;
  /** Keys `identity/K/setting` skipped because their outputs were already complete. */
  readonly resumed: string[];
  readonly notes: string[];
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Write frames as `<dir>/<id>_rgb.png` unless present (a resumed run rewrites nothing). */
async function writeReal(dir: string, frames: readonly StoredFrame[], size: number) {
  await mkdir(dir, { recursive: true });
  for (const f of frames) {
    const path = join(dir, `${f.id}_rgb.png`);
    if (!(await exists(path))) await writePng(path, { width: size, height: size, data: f.rgb });
  }
}

export async function runProtocol(options: ProtocolOptions): Promise<ProtocolResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ks = options.ks ?? DEFAULT_KS;
  const settings = options.settings ?? DEFAULT_MODEL_SETTINGS;
  const steps = options.finetuneSteps;
  if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1))
    throw new Error(`--finetune-steps must be a positive integer, got ${steps}`);
  const lr = options.finetuneLearningRate;
  if (lr !== undefined && !(Number.isFinite(lr) && lr > 0))
    throw new Error(`--finetune-lr must be a positive number, got ${lr}`);
  const lossChoice = options.finetuneLosses ?? 'training';
  if (!isFinetuneLosses(lossChoice))
    throw new Error(`--finetune-losses must be training or lsr, got ${String(lossChoice)}`);
  const modelSettings = settings.filter((s) => !isBaseline(s));
  if (modelSettings.length && options.checkpoint === undefined)
    throw new Error(
      `settings ${modelSettings.join(', ')} need a checkpoint (only the baselines need none)`,
    );
  const out = resolve(options.out);
  // The model is read only when a model setting is rendered: baselines need no checkpoint.
  let checkpoint: string | null = null;
  let bytes = new Uint8Array(0);
  if (modelSettings.length && options.checkpoint !== undefined) {
    checkpoint = resolve(
      options.checkpoint === 'bundled' ? bundledModelPath() : options.checkpoint,
    );
    try {
      bytes = await readFile(checkpoint);
    } catch (error) {
      throw new Error(`${checkpoint}: cannot read checkpoint (${(error as Error).message})`);
    }
  }
  // Fine-tuning trains D too: refuse a checkpoint without one now, not after the meta runs.
  const file = checkpoint ? decodeSafetensors(bytes, checkpoint) : null;
  const names = file ? [...file.tensors.keys()] : [];
  if (settings.includes('finetuned') && !names.some((n) => n.startsWith('discriminator.'))) {
    const what =
      options.checkpoint === 'bundled'
        ? 'the bundled model ships inference weights only'
        : 'inference weights only';
    throw new Error(
      `${checkpoint} holds no discriminator (${what}); the finetuned setting needs one: pass --checkpoint with a full checkpoint (e.g. one written by th-train), or --settings meta`,
    );
  }
  // The dataset: prepared as it is (any resolution; outputs are brought to its frame size), or
  // a raw folder prepared once at VoxCeleb2's 224² into the cache.
  const { dir: data } = await ensureDataset(options.data, {
    resolution: 224,
    exact: false,
    cacheDir: options.dataCache ?? join(out, 'dataset'),
    log: lineSink(log),
  });
  const splits = await evalSplits(data, options.identities);
  const notes: string[] = [];
  for (const s of splits) {
    const n = s.sources.ids.length;
    const tooMany = ks.filter((k) => k > n);
    if (tooMany.length)
      throw new Error(
        `${s.identity} has ${n} source frames; K = ${tooMany.join(', ')} needs more (FSTH has 32)`,
      );
    if (n !== 32 || s.targets.ids.length !== 32)
      notes.push(
        `${s.identity}: ${n} source and ${s.targets.ids.length} hold-out frames (FSTH has 32 + 32); shots are ⌊i·${n}/K⌋`,
      );
  }
  for (const n of notes) log(`th-eval: note: ${n}`);
  const outputsDir = join(out, 'outputs');
  const realDir = join(out, 'real');
  const recordPath = join(out, 'protocol.json');
  const record = await openRecord(recordPath, {
    checkpoint,
    checkpointSha256: file?.metadata.data_sha256 ?? null,
    data: resolve(options.data),
    dataSha256: await datasetSha256(data),
    finetuneSteps: checkpoint ? (steps ?? 'spec') : null,
    finetuneLearningRate: checkpoint ? (lr ?? 'spec') : null,
    finetuneLosses: checkpoint ? lossChoice : null,
    runs: [],
  });
  if (checkpoint) await init({ backend: options.backend ?? 'auto' });
  // Fine-tuning's objective, read from the checkpoint on its first load (a holder: set in load).
  const ft: { objective: TrainingObjective | null } = { objective: null };
  const load = async () => {
    const loaded = await loadModel(bytes, { name: checkpoint! });
    if (!ft.objective && lossChoice === 'training' && settings.includes('finetuned')) {
      ft.objective = trainingObjective(loaded.meta, { source: checkpoint!, log });
      log(`th-eval: ${ft.objective.note}`);
    }
    return loaded.model;
  };
  let metaModel: LoadedModel['model'] | null = null;
  const resumed: string[] = [];
  try {
    for (const split of splits) {
      for (const k of ks) {
        let subject: EvalSubject | undefined;
        for await (const s of evalSubjects(data, k, [split.identity])) subject = s;
        const size = subject!.resolution;
        const video = (e: typeof split.sources.entry) => e.video || 'video';
        await writeReal(
          join(realDir, 'test', split.identity, video(split.targets.entry)),
          subject!.targets,
          size,
        );
        await writeReal(
          join(realDir, 'train', split.identity, video(split.sources.entry)),
          subject!.shots,
          size,
        );
        for (const setting of settings) {
          const tag = `${split.identity} K=${k} ${setting}`;
          const dir = join(outputsDir, String(k), SETTING_DIRS[setting], split.identity);
          if (await settingComplete(dir, subject!.targets)) {
            resumed.push(runKey({ identity: split.identity, k, setting }));
            log(`${tag}: outputs complete, skipped`);
            continue;
          }
          // The run record of this (identity, K, setting), with what only some settings have.
          const saveSetting = (
            extra: Omit<
              Parameters<typeof saveRun>[2],
              'identity' | 'k' | 'setting' | 'shots' | 'rendered' | 'skippedHoldout'
            >,
          ) =>
            saveRun(recordPath, record, {
              identity: split.identity,
              k,
              setting,
              shots: subject!.shotIds,
              rendered: subject!.targets.length,
              skippedHoldout: [],
              ...extra,
            });
          if (isBaseline(setting)) {
            await mkdir(dir, { recursive: true });
            const { renderMsPerFrame } = await renderBaseline(
              setting,
              subject!.shots,
              subject!.targets,
              size,
              dir,
            );
            log(`${tag}: ${subject!.targets.length} frames written`);
            await saveSetting({ renderMsPerFrame });
            continue;
          }
          if (setting === 'meta' && !metaModel) metaModel = await load();
          // Fine-tuning changes the model in place: each finetuned setting starts from the file.
          const model: LoadedModel['model'] =
            setting === 'meta' && metaModel ? metaModel : await load();
          const built = await createSubject({
            model,
            frames: subject!.shots.map((f) => ({ width: size, height: size, data: f.rgb })),
            landmarks: subject!.shots.map((f) => f.landmarks),
            names: subject!.shotIds,
          });
          try {
            let finetune: NonNullable<Parameters<typeof saveRun>[2]['finetune']> | undefined;
            if (setting === 'finetuned') {
              const report = await built.finetune({
                ...(steps !== undefined ? { steps } : {}),
                ...(lr !== undefined ? { learningRate: lr } : {}),
                ...(ft.objective
                  ? {
                      losses: ft.objective.losses,
                      ...(ft.objective.vgg19Proxy ? { vgg19: ft.objective.vgg19Proxy } : {}),
                    }
                  : {}),
                ...(options.captureSteps ? { captureSteps: true, log } : {}),
                onStep: (i, n, l) =>
                  log(
                    `${tag}: fine-tune step ${i}/${n} (G ${l.generator.toFixed(3)}, D ${l.discriminator.toFixed(3)})`,
                  ),
              });
              finetune = {
                steps: report.steps,
                seconds: report.ms / 1000,
                finalGeneratorLoss: report.generatorLoss.at(-1) ?? Number.NaN,
                finalDiscriminatorLoss: report.discriminatorLoss.at(-1) ?? Number.NaN,
                notes: [...(ft.objective ? [ft.objective.note] : []), ...report.notes],
              };
            }
            await mkdir(dir, { recursive: true });
            const { renderMsPerFrame } = await renderHoldout(
              built,
              subject!.targets,
              size,
              dir,
              (i, n) => {
                if (i === n || i % 8 === 0) log(`${tag}: render ${i}/${n}`);
              },
            );
            await saveSetting({
              ...(finetune ? { finetune } : {}),
              renderMsPerFrame,
              backend: currentBackend()?.backend ?? 'unknown',
            });
          } finally {
            built.dispose();
            if (model !== metaModel) model.dispose();
          }
        }
      }
    }
  } finally {
    metaModel?.dispose();
    ft.objective?.vgg19Proxy?.dispose();
  }
  return { outputsDir, realDir, recordPath, record, resumed, notes };
}
