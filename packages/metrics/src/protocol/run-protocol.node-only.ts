/**
 * The generation side of the FSTH protocol (docs/design.md#fsth-protocol) for th-eval's model mode:
 * for every
 * identity, K and setting, choose the K shots ⌊i·n/K⌋ of the sorted source frames, build the
 * subject, fine-tune it (finetuned setting; targets = the K shots,
 * docs/design.md#finetune-targets), and render every
 * hold-out frame from its landmarks into `<out>/outputs/<K>/<meta|ft>/<identity>/NNNNN.png`,
 * the layout th-eval's folder evaluation reads. All model work goes through @th/infer.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BackendPreference, init } from '@th/backend';
import type { LandmarkDetector } from '@th/data';
import { createFaceApiDetector, readImage } from '@th/data/node';
import { createSubject, type LoadedModel, loadModel } from '@th/infer';
import { bundledModelPath } from '@th/infer/node';
import type { Setting } from '../report/table';
import { listFsthSubjects } from './fsth-subjects.node-only';
import { LandmarkCache } from './landmark-cache.node-only';
import { DEFAULT_KS, SETTING_DIRS } from './protocol-plan';
import { openRecord, type ProtocolRecord, runKey, saveRun } from './protocol-record.node-only';
import { type HoldoutTarget, renderHoldout, settingComplete } from './render-holdout.node-only';
import { loadShots } from './shots.node-only';

export interface ProtocolOptions {
  /** A checkpoint file, or "bundled" for @th/infer's shipped model. */
  readonly checkpoint: string;
  /** `train/<id>/...` source and `test/<id>/...` hold-out frames. */
  readonly data: string;
  /** Run folder: outputs/, landmarks.json and protocol.json go here. */
  readonly out: string;
  readonly ks?: readonly number[];
  readonly settings?: readonly Setting[];
  readonly identities?: readonly string[];
  /** Overrides LSR's steps-by-K rule (docs/design.md#finetuning). */
  readonly finetuneSteps?: number;
  readonly backend?: BackendPreference;
  /** 68-point detector for source and hold-out frames (default face-api, @th/data). */
  readonly detector?: LandmarkDetector;
  readonly detectorName?: string;
  /** Progress lines (default stderr). */
  readonly log?: (line: string) => void;
}

export interface ProtocolResult {
  readonly outputsDir: string;
  readonly recordPath: string;
  readonly record: ProtocolRecord;
  /** Keys `identity/K/setting` skipped because their outputs were already complete. */
  readonly resumed: string[];
  readonly notes: string[];
}

export async function runProtocol(options: ProtocolOptions): Promise<ProtocolResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const ks = options.ks ?? DEFAULT_KS;
  const settings = options.settings ?? (['meta', 'finetuned'] as const);
  const steps = options.finetuneSteps;
  if (steps !== undefined && !(Number.isInteger(steps) && steps >= 1))
    throw new Error(`--finetune-steps must be a positive integer, got ${steps}`);
  const checkpoint = resolve(
    options.checkpoint === 'bundled' ? bundledModelPath() : options.checkpoint,
  );
  const data = resolve(options.data);
  const out = resolve(options.out);
  const outputsDir = join(out, 'outputs');
  const recordPath = join(out, 'protocol.json');
  const subjects = await listFsthSubjects(data, options.identities);
  const notes: string[] = [];
  for (const s of subjects) {
    const tooMany = ks.filter((k) => k > s.sources.length);
    if (tooMany.length)
      throw new Error(
        `${s.identity} has ${s.sources.length} source frames; K = ${tooMany.join(', ')} needs more (FSTH has 32)`,
      );
    if (s.sources.length !== 32 || s.holdout.length !== 32)
      notes.push(
        `${s.identity}: ${s.sources.length} source and ${s.holdout.length} hold-out frames (FSTH has 32 + 32); shots are ⌊i·${s.sources.length}/K⌋`,
      );
  }
  for (const n of notes) log(`th-eval: note: ${n}`);
  const record = await openRecord(recordPath, {
    checkpoint,
    data,
    finetuneSteps: steps ?? 'spec',
    runs: [],
  });
  let bytes: Uint8Array;
  try {
    bytes = await readFile(checkpoint);
  } catch (error) {
    throw new Error(`${checkpoint}: cannot read checkpoint (${(error as Error).message})`);
  }
  await init({ backend: options.backend ?? 'auto' });
  const detector = options.detector ?? (await createFaceApiDetector());
  const detectorName =
    options.detectorName ?? (options.detector ? 'custom' : 'face-api landmark68');
  const cache = await LandmarkCache.open(join(out, 'landmarks.json'), data, detectorName);
  const load = async () => (await loadModel(bytes, { name: checkpoint })).model;
  let metaModel: LoadedModel['model'] | null = null;
  const resumed: string[] = [];
  try {
    for (const subject of subjects) {
      log(
        `${subject.identity}: landmarks of ${subject.holdout.length} hold-out frames (cached in landmarks.json)`,
      );
      const targets: HoldoutTarget[] = [];
      const skippedHoldout: string[] = [];
      for (const f of subject.holdout) {
        const { image } = await readImage(f.path);
        if (image.width !== image.height)
          throw new Error(
            `${f.path}: hold-out frames must be square (FSTH frames are 224x224), got ${image.width}x${image.height}`,
          );
        const landmarks = await cache.get(f.path, async () => image, detector);
        if (landmarks)
          targets.push({ frame: f.frame, width: image.width, height: image.height, landmarks });
        else skippedHoldout.push(f.frame);
      }
      await cache.save();
      if (skippedHoldout.length)
        log(
          `th-eval: warning: ${subject.identity}: no face in hold-out frame(s) ${skippedHoldout.join(', ')}; they are not rendered nor scored`,
        );
      for (const k of ks) {
        const shots = await loadShots(subject, k, cache, detector);
        await cache.save();
        for (const setting of settings) {
          const tag = `${subject.identity} K=${k} ${setting}`;
          const dir = join(outputsDir, String(k), SETTING_DIRS[setting], subject.identity);
          if (await settingComplete(dir, targets)) {
            resumed.push(runKey({ identity: subject.identity, k, setting }));
            log(`${tag}: outputs complete, skipped`);
            continue;
          }
          if (setting === 'meta' && !metaModel) metaModel = await load();
          // Fine-tuning changes the model in place: each finetuned setting starts from the file.
          const model: LoadedModel['model'] =
            setting === 'meta' && metaModel ? metaModel : await load();
          const built = await createSubject({
            model,
            frames: shots.images,
            landmarks: shots.landmarks,
            names: shots.names,
          });
          try {
            let finetune: NonNullable<Parameters<typeof saveRun>[2]['finetune']> | undefined;
            if (setting === 'finetuned') {
              const report = await built.finetune({
                ...(steps !== undefined ? { steps } : {}),
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
                notes: report.notes,
              };
            }
            await mkdir(dir, { recursive: true });
            const { renderMsPerFrame } = await renderHoldout(built, targets, dir, (i, n) => {
              if (i === n || i % 8 === 0) log(`${tag}: render ${i}/${n}`);
            });
            await saveRun(recordPath, record, {
              identity: subject.identity,
              k,
              setting,
              shots: shots.names,
              rendered: targets.length,
              skippedHoldout,
              ...(finetune ? { finetune } : {}),
              renderMsPerFrame,
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
    if (!options.detector) detector.dispose();
  }
  return { outputsDir, recordPath, record, resumed, notes };
}
