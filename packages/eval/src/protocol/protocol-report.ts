import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBaseline, type OutputsSetting } from '@th/metrics';
import { type OutputsLayout, readPngRgb } from '@th/metrics/node';
import { meanAbsoluteError } from './l1';
import type { ProtocolResult } from './run-protocol';

/** Per (K, setting): L1 and the harness's own measurements, averaged over identities. */
export interface ProtocolSettingSummary {
  readonly k: number;
  readonly setting: OutputsSetting;
  readonly pairs: number;
  /**
   * Mean absolute error on 0..255, averaged per image (docs/design.md#metric-l1, not in Table 2).
   */
  readonly l1: number;
  readonly identities: number;
  readonly finetuneSteps: number | null;
  readonly finetuneSeconds: number | null;
  readonly renderMsPerFrame: number | null;
}

const mean = (xs: readonly number[]) =>
  xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null;

/** L1 over every pair of every setting, joined with the fine-tune and render timings. */
export async function summarizeProtocol(
  layout: OutputsLayout,
  protocol: ProtocolResult,
): Promise<ProtocolSettingSummary[]> {
  const out: ProtocolSettingSummary[] = [];
  for (const { k, setting, pairs } of layout.settings) {
    const l1s: number[] = [];
    for (const p of pairs)
      l1s.push(meanAbsoluteError(await readPngRgb(p.realPath), await readPngRgb(p.fakePath)));
    const runs = protocol.record.runs.filter((r) => r.k === k && r.setting === setting);
    const ft = runs.flatMap((r) => (r.finetune ? [r.finetune] : []));
    out.push({
      k,
      setting,
      pairs: pairs.length,
      l1: mean(l1s) ?? Number.NaN,
      identities: new Set(pairs.map((p) => p.identity)).size,
      finetuneSteps: mean(ft.map((f) => f.steps)),
      finetuneSeconds: mean(ft.map((f) => f.seconds)),
      renderMsPerFrame: mean(runs.map((r) => r.renderMsPerFrame).filter(Number.isFinite)),
    });
  }
  return out;
}

const fixed = (v: number | null, digits: number) => (v === null ? '–' : v.toFixed(digits));

/**
 * Adds the protocol section to a written th-eval report: `protocol` in report.json (inputs,
 * per-setting summary, every setting run) and a Markdown table after the Table-2 report.
 */
export async function appendProtocolReport(
  reportDir: string,
  summary: readonly ProtocolSettingSummary[],
  protocol: ProtocolResult,
): Promise<void> {
  const jsonPath = join(reportDir, 'report.json');
  const report = JSON.parse(await readFile(jsonPath, 'utf8')) as Record<string, unknown>;
  report.protocol = {
    checkpoint: protocol.record.checkpoint,
    data: protocol.record.data,
    finetuneSteps: protocol.record.finetuneSteps,
    finetuneLearningRate: protocol.record.finetuneLearningRate ?? null,
    finetuneLosses: protocol.record.finetuneLosses ?? null,
    notes: protocol.notes,
    settings: summary,
    runs: protocol.record.runs,
  };
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const rows = summary.map(
    (s) =>
      `| ${s.k} | ${s.setting} | ${s.identities} | ${s.pairs} | ${s.l1.toFixed(2)} | ${fixed(s.finetuneSteps, 0)} | ${fixed(s.finetuneSeconds, 1)} | ${fixed(s.renderMsPerFrame, 0)} |`,
  );
  const md = [
    '',
    `## Protocol run (th-eval ${protocol.record.checkpoint === null ? '--baselines' : '--checkpoint'})`,
    '',
    `${protocol.record.checkpoint === null ? 'No checkpoint (baselines only)' : `Checkpoint \`${protocol.record.checkpoint}\``}, data \`${protocol.record.data}\` (a prepared dataset).`,
    ...(summary.some((r) => isBaseline(r.setting))
      ? [
          'Baselines (copy-first, source-mean) are made from the same K shots as the model, at the',
          "dataset's resolution, with no model (their render time is writing the PNGs).",
        ]
      : []),
    'Outputs are rendered at the model resolution and resized to the hold-out frame size with',
    "@th/data's resizeImage (bilinear when enlarging).",
    'L1 = mean absolute error on 0..255 (not part of Table 2; docs/design.md#metric-l1).',
    'Fine-tune targets are the K shots (docs/design.md#finetune-targets); VGG-Face terms are off',
    '(no weights ship).',
    protocol.record.finetuneLosses === 'training'
      ? "Fine-tuning losses: the checkpoint's training losses (--finetune-losses training; VGG19 as in training, e.g. its random-feature proxy)."
      : "Fine-tuning losses: LSR's defaults, VGG19 off (no weights ship).",
    ...(typeof protocol.record.finetuneLearningRate === 'number'
      ? [
          `Fine-tuning learning rate ${protocol.record.finetuneLearningRate} (--finetune-lr; LSR's is 1e-3).`,
        ]
      : []),
    '',
    '| K | setting | identities | pairs | L1 ↓ | fine-tune steps | fine-tune s | render ms/frame |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...finetuneRows(protocol),
    ...protocol.notes.map((n) => `\nNote: ${n}`),
    '',
  ];
  await appendFile(join(reportDir, 'report.md'), md.join('\n'));
}

/**
 * Fine-tuning wall time per identity and K (issue #17 asks for it per identity), with the backend
 * that ran it: a run rendered on another machine keeps its own times.
 */
function finetuneRows(protocol: ProtocolResult): string[] {
  const runs = protocol.record.runs
    .filter((r) => r.finetune)
    .sort((a, b) => a.identity.localeCompare(b.identity) || a.k - b.k);
  if (!runs.length) return [];
  return [
    '',
    'Fine-tuning per identity (wall time of the fine-tuning loop, excluding rendering):',
    '',
    '| identity | K | steps | fine-tune s | s/step | backend |',
    '| --- | --- | --- | --- | --- | --- |',
    ...runs.map((r) => {
      const f = r.finetune!;
      return `| ${r.identity} | ${r.k} | ${f.steps} | ${f.seconds.toFixed(1)} | ${(f.seconds / f.steps).toFixed(3)} | ${r.backend ?? '–'} |`;
    }),
  ];
}
