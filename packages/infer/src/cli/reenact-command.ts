/**
 * `th reenact ...`: argv → ReenactOptions → the job; a summary line on stdout at the end. Every
 * argument is checked here, before the backend starts or any photo is read: option values, the
 * output type, and that the given paths exist.
 */
import { existsSync } from 'node:fs';
import type { LandmarkDetector } from '@th/data';
import { outputKind } from '../node/frame-writers.node-only';
import type { ProgressSink } from '../node/progress.node-only';
import { sourceFiles } from '../node/read-sources.node-only';
import { type ReenactOptions, reenact } from '../node/reenact.node-only';
import type { MissingFacePolicy } from '../subject/create-subject';
import { isFinetuneLosses } from '../subject/training-objective';
import { intOption, type Parsed, positiveNumberOption, UsageError } from './args';

const BACKENDS = ['auto', 'cpu', 'wasm', 'webgl', 'webgpu', 'tensorflow'] as const;

export async function reenactCommand(
  parsed: Parsed,
  io: {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    progress: ProgressSink;
    detector?: LandmarkDetector;
  },
): Promise<void> {
  if (parsed.positionals.length)
    throw new UsageError(`unexpected argument(s): ${parsed.positionals.join(' ')}`);
  const sources = parsed.lists.get('source');
  const driver = parsed.values.get('driver');
  const out = parsed.values.get('out');
  if (!sources) throw new UsageError('th reenact needs --source <image> [...]');
  if (!driver)
    throw new UsageError('th reenact needs --driver <video, frame folder or landmarks .json>');
  if (!out) throw new UsageError('th reenact needs --out <file.mp4 | file.gif | folder/>');
  try {
    outputKind(out);
  } catch (err) {
    throw new UsageError(`--out ${(err as Error).message}`);
  }
  const noFace = parsed.values.get('no-face') ?? 'fail';
  if (noFace !== 'fail' && noFace !== 'skip')
    throw new UsageError(`--no-face must be "fail" or "skip", got "${noFace}"`);
  const backend = parsed.values.get('backend') ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${backend}"`);
  const precision = parsed.values.get('precision') ?? 'f32';
  if (precision !== 'f32' && precision !== 'mixed')
    throw new UsageError(`--precision must be "f32" or "mixed", got "${precision}"`);
  const files = sourceFiles(sources); // missing paths and empty folders, named
  if (!existsSync(driver))
    throw new Error(
      `${driver}: driver not found (--driver takes a video file, a folder of PNG/JPEG frames or a landmarks .json)`,
    );
  const checkpoint = parsed.values.get('checkpoint');
  if (checkpoint && checkpoint !== 'bundled' && !existsSync(checkpoint))
    throw new Error(
      `${checkpoint}: checkpoint not found (--checkpoint; or leave it out for the bundled model)`,
    );
  for (const flag of ['vgg19', 'vgg-face']) {
    const file = parsed.values.get(flag);
    if (file && !existsSync(file)) throw new Error(`${file}: --${flag} weights file not found`);
  }
  const k = intOption(parsed, 'k');
  if (k !== undefined && k > files.length)
    throw new UsageError(`--k ${k} is larger than the ${files.length} source image(s) given`);
  // A landmark-file driver has no images: reenact() takes its landmarks from the file.
  const landmarkDriver = /\.json$/i.test(driver);
  if (landmarkDriver) {
    if (parsed.flags.has('panels'))
      io.stderr(
        'note: the driver is a landmark file, so the driver panel of --panels is blank (landmark image, layout and output are shown)\n',
      );
  }
  const finetune = parsed.flags.has('finetune');
  for (const flag of ['finetune-steps', 'finetune-lr', 'finetune-losses', 'vgg19', 'vgg-face'])
    if (parsed.values.has(flag) && !finetune)
      throw new UsageError(`--${flag} applies to fine-tuning: add --finetune`);
  const losses = parsed.values.get('finetune-losses');
  if (losses !== undefined && !isFinetuneLosses(losses))
    throw new UsageError(`--finetune-losses must be training or lsr, got "${losses}"`);
  const options: ReenactOptions = {
    checkpoint,
    sources: files,
    driver,
    out,
    k,
    finetune,
    finetuneSteps: intOption(parsed, 'finetune-steps'),
    finetuneLearningRate: positiveNumberOption(parsed, 'finetune-lr'),
    ...(losses !== undefined ? { finetuneLosses: losses } : {}),
    vgg19: parsed.values.get('vgg19'),
    vggFace: parsed.values.get('vgg-face'),
    panels: parsed.flags.has('panels'),
    adaptShape: parsed.flags.has('adapt-shape'),
    label: parsed.flags.has('label'),
    onMissingFace: noFace as MissingFacePolicy,
    maxFrames: intOption(parsed, 'max-frames'),
    backend: backend as ReenactOptions['backend'],
    precision,
    capture: !parsed.flags.has('no-capture'),
    detector: io.detector,
    progress: parsed.flags.has('quiet') ? false : io.progress,
    log: (line) => io.stderr(`${line}\n`),
    verbose: parsed.flags.has('verbose'),
  };
  const result = await reenact(options);
  const t = result.meanTimings;
  io.stdout(
    `wrote ${result.framesWritten} frames to ${result.outputs.join(' and ')}` +
      ` (backend ${result.backend}; mean per frame: ${t.totalMs.toFixed(1)} ms; landmarks ${t.landmarkMs.toFixed(1)}, synthesis ${t.synthesisMs.toFixed(1)}, read-back ${t.readbackMs.toFixed(1)})\n`,
  );
}
