/**
 * Node-only: the whole reenactment job behind `th reenact`: load the model, build the subject
 * from the source photos (optionally fine-tune), detect the driver's landmarks (one streamed pass),
 * then render and encode frame by frame (a second streamed pass), so memory stays flat whatever
 * the driver's length.
 */
import { init } from '@th/backend';
import type { LandmarkDetector, Landmarks68, RgbImage } from '@th/data';
import { fitImage, mapLandmarks, squareFit } from '@th/data';
import { createFaceApiDetector } from '@th/data/node';
import { loadVgg19, loadVggFace } from '@th/features';
import { fineTuningSteps } from '@th/train';
import { sideBySide } from '../image/panels';
import { createShapeAdapter, meanShape, type ShapeAdapter } from '../landmarks/adapt-shape';
import { loadModel } from '../model/load-model';
import { modelProvenance, type ProvenanceOptions } from '../provenance/frame-provenance';
import { type FrameTimings, type RenderedFrame, renderFrame } from '../render/render-frame';
import {
  createSubject,
  type MissingFacePolicy,
  SourceWithoutFaceError,
} from '../subject/create-subject';
import { type FinetuneLosses, trainingObjective } from '../subject/training-objective';
import { resolveCheckpoint } from './bundled-model.node-only';
import { detectDriver, formatFrameList } from './detect-driver.node-only';
import { openDriver } from './driver-frames.node-only';
import { driverLandmarkDetector } from './driver-landmarks-json.node-only';
import { createFrameWriter, type FrameWriter, panelsPath } from './frame-writers.node-only';
import { createProgress, type ProgressSink } from './progress.node-only';
import { readSources } from './read-sources.node-only';
import { yieldToEvents } from './yield-to-events.node-only';

export interface ReenactOptions {
  /** A checkpoint file; default (or `bundled`): the bundled model, inference weights only. */
  checkpoint?: string;
  /** Source photos, or folders of them. */
  sources: string[];
  /** A video file or a folder of frames. */
  driver: string;
  /** `.mp4`, `.gif`, or a folder for PNG frames. */
  out: string;
  k?: number;
  finetune?: boolean;
  /** Override LSR's steps-by-K rule (docs/design.md#finetuning). */
  finetuneSteps?: number;
  /** Override fine-tuning's starting learning rate (LSR's 1e-3). */
  finetuneLearningRate?: number;
  /**
   * Fine-tuning's loss weights: 'training' (default) the checkpoint's own (`trainingObjective`),
   * or 'lsr' (LSR's defaults).
   */
  finetuneLosses?: FinetuneLosses;
  /** VGG19 weights (.safetensors) for fine-tuning's perceptual term (off without). */
  vgg19?: string;
  /** VGG-Face weights (.safetensors) for fine-tuning's VGG-Face perceptual and identity terms. */
  vggFace?: string;
  panels?: boolean;
  /** Face-shape adaptation (beyond the paper). */
  adaptShape?: boolean;
  /** Faceless source/driver frames: fail (default) or skip. */
  onMissingFace?: MissingFacePolicy;
  maxFrames?: number;
  backend?: 'auto' | 'cpu' | 'wasm' | 'webgl' | 'webgpu' | 'tensorflow';
  /**
   * 'mixed': f16 activations in convolutions and matmuls, weights as two f16 terms (hi + lo),
   * f32 accumulation, where the backend can (WebGPU); dynamic loss scaling when fine-tuning
   * (docs/design.md#mixed-precision). Default 'f32'.
   */
  precision?: 'f32' | 'mixed';
  /**
   * On WebGPU, capture each frame's synthesis once and replay it (default true); false runs
   * every frame through tfjs op by op (`th reenact --no-capture`, for debugging). A capture that
   * is not possible on WebGPU is said in one line; `verbose` also names the path elsewhere.
   */
  capture?: boolean;
  /** Landmark detector (default face-api). */
  detector?: LandmarkDetector;
  /**
   * The invisible "synthetic" watermark in every frame: on by default. `false` is for measuring
   * the model's own pixels (see ProvenanceOptions); it is logged as a warning, and the file
   * metadata still says the output is synthetic (with `watermark: none`).
   */
  watermark?: ProvenanceOptions['watermark'];
  /** Draw a visible "SYNTHETIC" label into every output frame (`th reenact --label`). */
  label?: boolean;
  /** Warnings and information lines (default: stderr). */
  log?: (line: string) => void;
  /** Also log the backend choice and why other backends were skipped. */
  verbose?: boolean;
  /** Progress bars: false for none; a sink (default process.stderr). */
  progress?: boolean | ProgressSink;
  /**
   * Called after each rendered frame with the driver frame fitted to the model resolution and
   * the rendered output, e.g. to score self-reenactment against the driver (the main job does).
   */
  onFrame?: (frame: {
    index: number;
    driver: RgbImage;
    output: RenderedFrame;
  }) => void | Promise<void>;
}

export interface ReenactResult {
  framesWritten: number;
  /** The tfjs backend that ran. */
  backend: string;
  skippedDriverFrames: number[];
  outputs: string[];
  notes: string[];
  meanTimings: FrameTimings;
}

export async function reenact(o: ReenactOptions): Promise<ReenactResult> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    log(`warning: ${line}`);
  };
  const policy = o.onMissingFace ?? 'fail';
  const sink = typeof o.progress === 'object' ? o.progress : process.stderr;
  const progressBar = (label: string, total: number) =>
    o.progress === false ? undefined : createProgress(label, total, sink);
  if (o.maxFrames !== undefined && !(Number.isInteger(o.maxFrames) && o.maxFrames > 0))
    throw new Error(`--max-frames must be a positive integer, got ${o.maxFrames}`);
  if (
    !o.finetune &&
    (o.vgg19 || o.vggFace || o.finetuneSteps || o.finetuneLearningRate || o.finetuneLosses)
  )
    throw new Error(
      '--finetune-steps, --finetune-lr, --finetune-losses, --vgg19 and --vgg-face apply to fine-tuning: add --finetune',
    );
  const lr = o.finetuneLearningRate;
  if (lr !== undefined && !(Number.isFinite(lr) && lr > 0))
    throw new Error(`--finetune-lr must be a positive number, got ${lr}`);
  const checkpoint = resolveCheckpoint(o.checkpoint);
  // Under mixed, the weights keep near-f32 accuracy (two f16 terms): rounding them is what moves
  // the output most (docs/design.md#mixed-precision).
  const precision = o.precision ?? 'f32';
  const backend = await init({
    backend: o.backend ?? 'auto',
    precision,
    splitWeights: precision === 'mixed',
  });
  if (o.verbose) {
    // From the report (init logs only when it starts a backend, not when one is running).
    for (const skipped of backend.skipped)
      log(`backend ${skipped.backend} skipped: ${skipped.reason}`);
    log(`backend ${backend.backend}: ${backend.reason}`);
  }
  if (backend.precision.requested === 'mixed') log(`precision mixed: ${backend.precision.reason}`);
  const sources = await readSources(o.sources);
  if (o.k !== undefined && o.k > sources.frames.length) {
    throw new Error(`--k ${o.k} is larger than the ${sources.frames.length} source image(s) given`);
  }
  const driver = await openDriver(o.driver);
  const { model, hasDiscriminator, meta } = await loadModel(checkpoint);
  const features: {
    vgg19?: Awaited<ReturnType<typeof loadVgg19>>;
    vggFace?: Awaited<ReturnType<typeof loadVggFace>>;
  } = {};
  let baseDetector: LandmarkDetector | undefined;
  let subject: Awaited<ReturnType<typeof createSubject>> | undefined;
  const writers: FrameWriter[] = [];
  try {
    // Everything that can be refused is refused before the slow work (detection, fine-tuning).
    if (o.finetune && !hasDiscriminator) {
      throw new Error(
        `${checkpoint} holds no discriminator (${o.checkpoint && o.checkpoint !== 'bundled' ? 'inference weights only' : 'the bundled model ships inference weights only'}); fine-tuning needs one: pass --checkpoint with a full checkpoint, e.g. one written by th-train`,
      );
    }
    if (o.vgg19) features.vgg19 = await loadVgg19(o.vgg19).catch(flagged('--vgg19'));
    if (o.vggFace) features.vggFace = await loadVggFace(o.vggFace).catch(flagged('--vgg-face'));
    sources.notes.forEach(note);
    // Frames of a landmark-file driver carry their landmarks; everything else goes to face-api.
    baseDetector = o.detector ?? (await createFaceApiDetector());
    const detector = driverLandmarkDetector(baseDetector);
    const size = model.config.resolution;
    subject = await createSubject({
      model,
      frames: sources.frames,
      names: sources.names,
      detector,
      k: o.k,
      onMissingFace: policy,
    }).catch((err: unknown) => {
      if (err instanceof SourceWithoutFaceError)
        throw new Error(`${err.message}; pass --no-face skip to drop them`);
      throw err;
    });
    subject.notes.forEach(note);
    if (o.finetune) {
      const steps = o.finetuneSteps ?? fineTuningSteps(subject.k);
      const objective =
        (o.finetuneLosses ?? 'training') === 'training'
          ? trainingObjective(meta, { source: checkpoint, log: note })
          : null;
      if (objective)
        log(
          objective.vgg19Proxy && features.vgg19
            ? `${objective.note}; --vgg19's weights replace the proxy`
            : objective.note,
        );
      const bar = progressBar('fine-tune', steps);
      try {
        const report = await subject.finetune({
          steps,
          ...(lr !== undefined ? { learningRate: lr } : {}),
          ...(objective ? { losses: objective.losses } : {}),
          // Real VGG19 weights given (--vgg19) replace the proxy the model trained with.
          ...(objective?.vgg19Proxy ? { vgg19: objective.vgg19Proxy } : {}),
          ...features,
          onStep: (s, total) => bar?.tick(s, `of ${total} steps`),
        });
        bar?.done();
        report.notes.forEach(note);
      } finally {
        objective?.vgg19Proxy?.dispose();
      }
    }
    const limit = Math.min(driver.frameCount, o.maxFrames ?? Number.POSITIVE_INFINITY);
    const found = await detectDriver(driver, detector, limit, progressBar('landmarks', limit));
    if (found.missing.length && policy === 'fail') {
      throw new Error(
        `no face found in driver frame(s) ${formatFrameList(found.missing)} (0-based) of ${o.driver}; pass --no-face skip to drop them`,
      );
    }
    if (found.missing.length)
      note(`skipped driver frame(s) without a face: ${formatFrameList(found.missing)} (0-based)`);
    const fit = squareFit(driver.width, driver.height, size);
    const inModel = found.landmarks.map((lm) => (lm ? mapLandmarks(lm, fit) : null));
    const withFace = inModel.filter((lm): lm is Landmarks68 => lm !== null);
    if (withFace.length === 0) throw new Error(`${o.driver}: no driver frame has a face`);
    const adapter: ShapeAdapter | undefined = o.adaptShape
      ? createShapeAdapter(subject.meanShape, meanShape(withFace))
      : undefined;
    const provenance: ProvenanceOptions = {
      watermark: o.watermark,
      label: o.label,
      warn: (line) => note(line),
    };
    const tags = modelProvenance(model, o.watermark !== false);
    const video = { width: size, height: size, fps: driver.fps };
    writers.push(await createFrameWriter(o.out, video, '', tags));
    if (o.panels)
      writers.push(
        await createFrameWriter(panelsPath(o.out), { ...video, width: 4 * size }, '_panels', tags),
      );
    const synthesis = subject.synthesis;
    // Eager on a CPU backend is expected; on WebGPU it is worth a line (unless asked for).
    const synthesisLog = (line: string) => {
      const { cause } = synthesis.status;
      if (o.verbose || cause === 'failed' || cause === 'unavailable') log(line);
    };
    const bar = progressBar('render', withFace.length);
    const sum: FrameTimings = { landmarkMs: 0, synthesisMs: 0, readbackMs: 0, totalMs: 0 };
    let written = 0;
    let index = 0;
    for await (const frame of driver.frames(limit)) {
      const lm = inModel[index++];
      if (!lm) continue;
      const out = await renderFrame(subject, lm, {
        index: written,
        adapter,
        provenance,
        capture: o.capture,
        log: synthesisLog,
      });
      await writers[0]!.write(out.image);
      await o.onFrame?.({ index: written, driver: fitImage(frame, size), output: out });
      if (o.panels)
        await writers[1]!.write(
          sideBySide([fitImage(frame, size), out.landmarkImage, out.layout, out.image]),
        );
      for (const key of Object.keys(sum) as (keyof FrameTimings)[]) sum[key] += out.timings[key];
      written++;
      bar?.tick(written);
      await yieldToEvents();
    }
    bar?.done();
    for (const w of writers) await w.close();
    const meanTimings = Object.fromEntries(
      Object.entries(sum).map(([k, v]) => [k, v / Math.max(1, written)]),
    ) as unknown as FrameTimings;
    return {
      framesWritten: written,
      backend: backend.backend,
      skippedDriverFrames: found.missing,
      outputs: writers.map((w) => w.path),
      notes,
      meanTimings,
    };
  } catch (e) {
    for (const w of writers) await w.abort();
    throw e;
  } finally {
    subject?.dispose();
    model.dispose();
    features.vgg19?.dispose();
    features.vggFace?.dispose();
    if (!o.detector) baseDetector?.dispose();
  }
}

/** Prefix a load error with the flag that named the file. */
function flagged(flag: string): (err: unknown) => never {
  return (err) => {
    throw new Error(`${flag}: ${(err as Error).message}`);
  };
}
