import { verdictText } from '../report/baseline-verdict';
import { renderCsv, renderJson, renderMarkdown } from '../report/render';
import { isBaseline, OUTPUTS_SETTINGS, type OutputsSetting } from '../report/settings';
import { buildResultsTable, type MetricKey } from '../report/table';
import { type BaselineComparison, compareWithBaselines } from './baseline-comparison';
import type { EvaluationResult } from './evaluate-outputs.node-only';
import type { PlotPanel } from './metrics-plot';
import { POSE_BUCKETS } from './pose-buckets';

/** Names of the backends that produced the identity and landmark numbers. */
export interface ReportContext {
  readonly method: string;
  readonly embedderName: string;
  /** How ID-SIM aligned faces (see EvaluateOptions.idAlignment); absent = 'ground-truth'. */
  readonly idAlignment?: 'ground-truth' | 'detect';
  readonly detectorName: string;
  readonly inputs: string;
}

const num = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const settingLabel = (s: string) => (s === 'finetuned' ? 'ft' : s);

/**
 * report.md's baseline section: what the baselines are, how many model rows beat both, and the
 * PSNR / SSIM of every identity beside its baselines (empty when no baseline was scored).
 */
function baselineSection(evaluation: EvaluationResult): string[] {
  if (!evaluation.details.some((d) => isBaseline(d.setting))) return [];
  const comparisons = compareWithBaselines(evaluation.details);
  const overall = comparisons.filter((c) => c.identity === null);
  const judged = overall.filter((c) => c.beatsBaselines !== null);
  const failing = judged.filter((c) => !c.beatsBaselines);
  const label = (c: BaselineComparison) => `K=${c.k} ${settingLabel(c.setting)}`;
  const lines = [
    '## Beside the trivial baselines',
    '',
    'Two baselines that use no model are scored on the same pairs: **copy-first** outputs the ' +
      'first of the K source shots for every hold-out frame, **source-mean** the pixel-wise mean ' +
      'of the K shots. A model row beats both when its PSNR and its SSIM are each above both ' +
      "baselines' at the same K.",
    '',
    overall.length === 0
      ? 'No model rows were scored (baselines only).'
      : `Model rows that beat both baselines in PSNR and SSIM: **${judged.length - failing.length} of ${overall.length}**` +
        (failing.length ? ` (not: ${failing.map(label).join(', ')})` : '') +
        (judged.length < overall.length
          ? `; ${overall.length - judged.length} without a verdict (a baseline is missing at that K)`
          : '') +
        '.',
    '',
    '| identity | K | setting | pairs | PSNR↑ | SSIM↑ | beats both baselines (PSNR & SSIM) |',
    '|---|---|---|---|---|---|---|',
  ];
  const rank = (s: OutputsSetting) => OUTPUTS_SETTINGS.indexOf(s);
  const rows = evaluation.details.flatMap((d) => d.perIdentity.map((p) => ({ d, p })));
  rows.sort(
    (a, b) =>
      (a.p.identity < b.p.identity ? -1 : a.p.identity > b.p.identity ? 1 : 0) ||
      a.d.k - b.d.k ||
      rank(a.d.setting) - rank(b.d.setting),
  );
  for (const { d, p } of rows) {
    const verdict = comparisons.find(
      (c) => c.k === d.k && c.setting === d.setting && c.identity === p.identity,
    );
    lines.push(
      `| ${p.identity} | ${d.k} | ${settingLabel(d.setting)} | ${p.pairs} | ${num(p.psnr, 2)} | ${num(p.ssim, 3)} | ${verdict ? verdictText(verdict.beatsBaselines) : '–'} |`,
    );
  }
  lines.push('');
  return lines;
}

/** Table 2 column labels that name the offline proxies honestly. */
export function reportLabels(context: ReportContext): Partial<Record<MetricKey, string>> {
  return {
    idSim: `ID-SIM (${context.embedderName})`,
    nmke: `NMKE (${context.detectorName}, ÷IOD)`,
  };
}

/** report.md: Table 2, then failures and NMKE ÷ image size, then the Figure-1 pose buckets. */
export function renderReportMarkdown(evaluation: EvaluationResult, context: ReportContext): string {
  const table = buildResultsTable(evaluation.results, { labels: reportLabels(context) });
  const lines = [
    `# th-eval report: ${context.method}`,
    '',
    `Inputs: ${context.inputs}`,
    '',
    '## Table 2 layout (LSR supplement)',
    '',
    renderMarkdown(table).trimEnd(),
    '',
    `ID-SIM is the cosine similarity of **${context.embedderName}** embeddings, not LSR's VGG-Face fc8 ` +
      "nor FSTH's ArcFace: compare it only with numbers from the same embedder. NMKE uses " +
      `**${context.detectorName}** landmarks (LSR: FAN-2D), normalised by the real frame's ` +
      'inter-ocular distance (points 36-45). ' +
      ((context.idAlignment ?? 'ground-truth') === 'ground-truth'
        ? 'For ID-SIM both frames of a pair are aligned on the landmarks of the real frame (the ' +
          'landmarks that drove the output), so blurry outputs are scored too.'
        : 'For ID-SIM each frame is aligned on its own detected landmarks; outputs without a ' +
          'detectable face are not scored (counted below).'),
    '',
    ...(table.hasBaselines
      ? ['Baselines use no model: their one score fills both the meta and the ft columns.', '']
      : []),
    ...baselineSection(evaluation),
    '## Per setting: detection failures and NMKE ÷ image size',
    '',
    '| K | setting | pairs | ID-SIM scored | no face (generated / real) | NMKE scored | no landmarks (generated / real) | NMKE ÷IOD | NMKE ÷size |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const d of evaluation.details) {
    lines.push(
      `| ${d.k} | ${settingLabel(d.setting)} | ${d.pairs} | ${d.idSim.scored} | ${d.idSim.failedGenerated} / ${d.idSim.failedReal} | ` +
        `${d.nmke.scored} | ${d.nmke.failedGenerated} / ${d.nmke.failedReal} | ${num(d.nmke.interocular, 4)} | ${num(d.nmke.imageSize, 4)} |`,
    );
  }
  const pose = evaluation.pose;
  lines.push('', '## Source-target pose variance (supplement Figure 1)', '');
  lines.push(
    "Targets are split into terciles of NMKE (÷IOD) between the identity's first source frame " +
      '(the K = 1 shot) and the target ground truth; ID-SIM is averaged per bucket (pairs in brackets).',
    '',
  );
  if (pose.upperBounds) {
    lines.push(
      `Bucket bounds: low ≤ ${pose.upperBounds[0].toFixed(4)} < medium ≤ ${pose.upperBounds[1].toFixed(4)} < high. ` +
        `${pose.bucketed} targets bucketed, ${pose.withoutLandmarks} without landmarks (not bucketed).`,
      '',
      '| K | setting | ID-SIM low | ID-SIM medium | ID-SIM high |',
      '|---|---|---|---|---|',
    );
    for (const d of evaluation.details) {
      const cells = POSE_BUCKETS.map(
        (b) => `${num(d.idSimByPose[b].mean, 3)} (${d.idSimByPose[b].count})`,
      );
      lines.push(`| ${d.k} | ${settingLabel(d.setting)} | ${cells.join(' | ')} |`);
    }
  } else {
    lines.push(`n/a: ${pose.note ?? 'no pose buckets'}`);
  }
  lines.push('', '![metrics vs K](metrics-vs-k.svg)', '');
  return lines.join('\n');
}

/** report.csv (Table 2 columns) and report.json (table plus all details). */
export function renderReportData(evaluation: EvaluationResult, context: ReportContext) {
  const table = buildResultsTable(evaluation.results, { labels: reportLabels(context) });
  const json = JSON.stringify(
    {
      context,
      table: JSON.parse(renderJson(table)),
      details: evaluation.details,
      baselines: compareWithBaselines(evaluation.details),
      pose: evaluation.pose,
    },
    (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value),
    2,
  );
  return { csv: renderCsv(table), json: `${json}\n` };
}

/** Panels for metrics-vs-k.svg: one per metric that has at least one number. */
export function reportPanels(evaluation: EvaluationResult, context: ReportContext): PlotPanel[] {
  const labels = {
    psnr: 'PSNR',
    ssim: 'SSIM',
    ...reportLabels(context),
    lpips: 'LPIPS',
    fid: 'FID',
  };
  const keys: MetricKey[] = ['psnr', 'ssim', 'lpips', 'idSim', 'nmke', 'fid'];
  return keys.map((key) => ({
    title: labels[key] ?? key,
    series: OUTPUTS_SETTINGS.filter(
      (setting) =>
        setting === 'meta' ||
        setting === 'finetuned' ||
        evaluation.results.some((r) => r.setting === setting),
    ).map((setting) => ({
      name: setting === 'meta' ? 'meta-learned' : setting === 'finetuned' ? 'fine-tuned' : setting,
      dashed: setting !== 'meta',
      points: evaluation.results
        .filter((r) => r.setting === setting)
        .map((r) => {
          const v = r.metrics[key];
          return { k: r.k, value: typeof v === 'number' && Number.isFinite(v) ? v : null };
        }),
    })),
  }));
}
