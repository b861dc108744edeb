/**
 * Node-only: the report files of one evaluation in a folder: report.md (Table 2, failures, pose
 * buckets), report.csv, report.json (everything, details included) and metrics-vs-k.svg. Each file
 * is written atomically, so a killed run never leaves a half-written report.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@th/data/node';
import type { EvaluationResult } from './evaluate-outputs.node-only';
import { renderMetricsVsK } from './metrics-plot';
import {
  type ReportContext,
  renderReportData,
  renderReportMarkdown,
  reportPanels,
} from './report-document';

export async function writeReport(
  dir: string,
  evaluation: EvaluationResult,
  context: ReportContext,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const text = (s: string) => new TextEncoder().encode(s);
  const { csv, json } = renderReportData(evaluation, context);
  await writeFileAtomic(join(dir, 'report.md'), text(renderReportMarkdown(evaluation, context)));
  await writeFileAtomic(join(dir, 'report.csv'), text(csv));
  await writeFileAtomic(join(dir, 'report.json'), text(json));
  await writeFileAtomic(
    join(dir, 'metrics-vs-k.svg'),
    text(renderMetricsVsK(reportPanels(evaluation, context))),
  );
}
