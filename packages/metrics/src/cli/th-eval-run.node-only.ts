import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateOutputs } from '../eval/evaluate-outputs.node-only';
import { faceApiLandmarkDetector } from '../eval/face-api-landmarks.node-only';
import { renderMetricsVsK } from '../eval/metrics-plot';
import { readOutputsLayout } from '../eval/outputs-layout.node-only';
import { renderReportData, renderReportMarkdown, reportPanels } from '../eval/report-document';
import type { IdentityEmbedder } from '../id-sim';
import { humanFaceresEmbedder } from '../identity/human-faceres-embedder.node-only';
import { MissingWeightsError, requireNetworkWeights } from '../networks';
import type { LandmarkDetector } from '../nmke';
import type { MetricKey } from '../report/table';

export const TH_EVAL_USAGE = `Usage:
  th-eval --outputs DIR --real DIR [--out DIR] [--k 1,4,8,32] [--method NAME]
          [--lpips-weights model.json] [--fid-weights model.json]
  th-eval --checkpoint FILE --data DIR ...   (not available yet, see README)

  --outputs  generated frames as <K>/<meta|ft>/<identity>/<NNNNN>.png
  --real     FSTH frames: test/<identity>/<video>/**/NNNNN_rgb.png (+ train/ for pose buckets)
  --out      report folder (default ./th-eval-report): report.md, report.csv, report.json,
             metrics-vs-k.svg`;

/** Backends the CLI would create itself; tests inject their own to stay fast. */
export interface ThEvalBackends {
  embedder?: IdentityEmbedder;
  detector?: LandmarkDetector;
  log?: (line: string) => void;
}

/** Why a network metric cannot run: missing weights, or weights given but no loader yet. */
function networkNotRun(metric: 'lpips' | 'fid', file: string | undefined): string {
  try {
    const location = requireNetworkWeights(
      metric,
      metric === 'lpips' ? { lpipsWeights: file } : { fidWeights: file },
    );
    return `${metric.toUpperCase()} weights were given (${location}) but th-eval cannot load them yet; nothing was computed`;
  } catch (error) {
    if (error instanceof MissingWeightsError) return error.message;
    throw error;
  }
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
      out: { type: 'string', default: 'th-eval-report' },
      k: { type: 'string', default: '1,4,8,32' },
      method: { type: 'string', default: 'th (LSR)' },
      'lpips-weights': { type: 'string' },
      'fid-weights': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const log = backends.log ?? ((line: string) => console.error(line));
  if (values.help) {
    log(TH_EVAL_USAGE);
    return '';
  }
  if (values.checkpoint !== undefined || values.data !== undefined) {
    throw new Error(
      'th-eval: --checkpoint/--data mode is not implemented yet; synthesize the outputs with your ' +
        'model and pass --outputs DIR --real DIR\n\n' +
        TH_EVAL_USAGE,
    );
  }
  if (!values.outputs || !values.real)
    throw new Error(`th-eval: --outputs and --real are required\n\n${TH_EVAL_USAGE}`);
  const ks = values.k.split(',').map((s) => Number(s.trim()));
  if (ks.some((k) => !Number.isInteger(k) || k < 1))
    throw new Error(`th-eval: bad --k "${values.k}"`);
  const notRun: Partial<Record<MetricKey, string>> = {
    lpips: networkNotRun('lpips', values['lpips-weights']),
    fid: networkNotRun('fid', values['fid-weights']),
  };
  const layout = await readOutputsLayout(resolve(values.outputs), resolve(values.real), ks);
  log(
    `th-eval: ${layout.settings.map((s) => `K=${s.k} ${s.setting} (${s.pairs.length})`).join(', ')}`,
  );
  const embedder = backends.embedder ?? (await humanFaceresEmbedder());
  const detector = backends.detector ?? (await faceApiLandmarkDetector());
  const evaluation = await evaluateOutputs(layout, {
    method: values.method,
    embedder,
    detector,
    notRun,
    log,
  });
  const context = {
    method: values.method,
    embedderName: embedder.name,
    detectorName: detector.name,
    inputs: `outputs ${values.outputs}, real ${values.real}`,
  };
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const { csv, json } = renderReportData(evaluation, context);
  await writeFile(join(out, 'report.md'), renderReportMarkdown(evaluation, context));
  await writeFile(join(out, 'report.csv'), csv);
  await writeFile(join(out, 'report.json'), json);
  await writeFile(
    join(out, 'metrics-vs-k.svg'),
    renderMetricsVsK(reportPanels(evaluation, context)),
  );
  log(`th-eval: report written to ${out}`);
  return out;
}
