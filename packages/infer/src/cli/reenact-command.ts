/** `th reenact ...`: argv → ReenactOptions → the job; a summary line on stdout at the end. */
import type { LandmarkDetector } from '@th/data';
import type { ProgressSink } from '../node/progress.node-only';
import { type ReenactOptions, reenact } from '../node/reenact.node-only';
import type { MissingFacePolicy } from '../subject/create-subject';
import { intOption, type Parsed, UsageError } from './args';

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
  const noFace = parsed.values.get('no-face') ?? 'fail';
  if (noFace !== 'fail' && noFace !== 'skip')
    throw new UsageError(`--no-face must be "fail" or "skip", got "${noFace}"`);
  const backend = parsed.values.get('backend') ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend))
    throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, got "${backend}"`);
  // A landmark-file driver has no images: reenact() takes its landmarks from the file.
  const landmarkDriver = /\.json$/i.test(driver);
  if (landmarkDriver) {
    if (parsed.flags.has('panels'))
      io.stderr(
        'note: the driver is a landmark file, so the driver panel of --panels is blank (landmark image, layout and output are shown)\n',
      );
  }
  const options: ReenactOptions = {
    checkpoint: parsed.values.get('checkpoint'),
    sources,
    driver,
    out,
    k: intOption(parsed, 'k'),
    finetune: parsed.flags.has('finetune'),
    finetuneSteps: intOption(parsed, 'finetune-steps'),
    panels: parsed.flags.has('panels'),
    adaptShape: parsed.flags.has('adapt-shape'),
    label: parsed.flags.has('label'),
    onMissingFace: noFace as MissingFacePolicy,
    maxFrames: intOption(parsed, 'max-frames'),
    backend: backend as ReenactOptions['backend'],
    detector: io.detector,
    progress: parsed.flags.has('quiet') ? false : io.progress,
    log: (line) => io.stderr(`${line}\n`),
  };
  const result = await reenact(options);
  const t = result.meanTimings;
  io.stdout(
    `wrote ${result.framesWritten} frames to ${result.outputs.join(' and ')}` +
      ` (mean per frame: ${t.totalMs.toFixed(1)} ms; landmarks ${t.landmarkMs.toFixed(1)}, synthesis ${t.synthesisMs.toFixed(1)}, read-back ${t.readbackMs.toFixed(1)})\n`,
  );
}
