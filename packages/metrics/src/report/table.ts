/**
 * Builds the layout of the LSR supplement's Table 2: one row per (K, method), and for each of the
 * two settings (meta-learned, fine-tuned) the columns PSNR↑ SSIM↑ LPIPS↓ ID-SIM↑ NMKE↓ FID↓.
 * A metric that could not run is kept in the table as "n/a" with a numbered footnote giving the
 * reason, so a partial evaluation is never mistaken for a complete one.
 *
 * Trivial baselines (copy-first, source-mean) are rows of their own under each K. They use no
 * model, so meta-learning and fine-tuning mean nothing to them: their one score fills both column
 * groups, and every model row gets a "beats both baselines (PSNR & SSIM)" verdict per group.
 */
import { beatsBaselines, NO_VERDICT, type PsnrSsim, verdictText } from './baseline-verdict';
import { type Baseline, isBaseline, type OutputsSetting, SETTINGS, type Setting } from './settings';

export const METRIC_KEYS = ['psnr', 'ssim', 'lpips', 'idSim', 'nmke', 'fid'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

/** A metric value, or the reason it is missing (e.g. the MissingWeightsError message). */
export type MetricOutcome = number | { readonly notRun: string };

/**
 * Metric values of one (K, method, setting) evaluation. Absent keys count as "not computed". A
 * baseline's result has the baseline as its setting and a method label of its own (e.g.
 * "copy-first (baseline)").
 */
export interface SettingResult {
  readonly k: number;
  readonly method: string;
  readonly setting: OutputsSetting;
  readonly metrics: Partial<Record<MetricKey, MetricOutcome>>;
  /**
   * What the result was scored on (e.g. identities and frame counts). When a model row and a
   * baseline both name it and it differs, the baseline is not compared with that row.
   */
  readonly scoredOn?: string;
}

/** Column headings, with the direction arrow and decimals used by the supplement. */
export const DEFAULT_METRIC_COLUMNS: Readonly<
  Record<MetricKey, { label: string; better: 'higher' | 'lower'; decimals: number }>
> = {
  psnr: { label: 'PSNR', better: 'higher', decimals: 2 },
  ssim: { label: 'SSIM', better: 'higher', decimals: 3 },
  lpips: { label: 'LPIPS', better: 'lower', decimals: 3 },
  idSim: { label: 'ID-SIM', better: 'higher', decimals: 3 },
  nmke: { label: 'NMKE', better: 'lower', decimals: 3 },
  fid: { label: 'FID', better: 'lower', decimals: 2 },
};

export interface TableCell {
  readonly value: number | null;
  readonly text: string;
  /** 1-based footnote number when value is null. */
  readonly note?: number;
}

/** "Beats both baselines in PSNR and SSIM": yes / no, or n/a with a footnote. */
export interface VerdictCell {
  readonly value: boolean | null;
  readonly text: string;
  readonly note?: number;
}

export interface ResultsTableRow {
  readonly k: number;
  readonly method: string;
  /** Set on a baseline's row (its score fills both setting groups). */
  readonly baseline?: Baseline;
  readonly cells: Record<Setting, Record<MetricKey, TableCell>>;
  /** A model row's verdict per setting, when the table has baseline rows. */
  readonly beatsBaselines?: Record<Setting, VerdictCell>;
}

export interface ResultsTable {
  /** Heading per metric key, e.g. "ID-SIM (MobileFace)" when relabelled. */
  readonly labels: Record<MetricKey, string>;
  readonly rows: readonly ResultsTableRow[];
  /** Whether any row is a baseline (then model rows carry `beatsBaselines`). */
  readonly hasBaselines: boolean;
  readonly footnotes: readonly string[];
}

/** Options for {@link buildResultsTable}. */
export interface TableOptions {
  /** Override column names, e.g. { idSim: 'ID-SIM (MobileFace)' } to name a proxy honestly. */
  readonly labels?: Partial<Record<MetricKey, string>>;
}

/** Groups results into Table 2 rows (sorted by K, methods in first-seen order) with footnotes. */
export function buildResultsTable(
  results: readonly SettingResult[],
  options: TableOptions = {},
): ResultsTable {
  const footnotes: string[] = [];
  const noteFor = (reason: string) => {
    const found = footnotes.indexOf(reason);
    if (found >= 0) return found + 1;
    footnotes.push(reason);
    return footnotes.length;
  };
  const keyOf = (k: number, method: string) => `${k}\u0000${method}`;
  const byRow = new Map<string, Partial<Record<OutputsSetting, SettingResult>>>();
  const order: { k: number; method: string; seen: number }[] = [];
  results.forEach((r) => {
    if (!Number.isInteger(r.k) || r.k < 1)
      throw new Error(`results: K must be a positive integer, got ${r.k}`);
    if (!(SETTINGS as readonly string[]).includes(r.setting) && !isBaseline(r.setting))
      throw new Error(`results: unknown setting "${r.setting}"`);
    const key = keyOf(r.k, r.method);
    if (!byRow.has(key)) {
      byRow.set(key, {});
      order.push({ k: r.k, method: r.method, seen: order.length });
    }
    const row = byRow.get(key)!;
    if (row[r.setting])
      throw new Error(`results: duplicate entry for K=${r.k}, ${r.method}, ${r.setting}`);
    const kinds = Object.keys(row);
    if (kinds.length && kinds.some((s) => isBaseline(s) || isBaseline(r.setting)))
      throw new Error(
        `results: K=${r.k}, ${r.method} mixes a baseline with other settings; give baselines a method of their own`,
      );
    row[r.setting] = r;
  });
  order.sort((a, b) => a.k - b.k || a.seen - b.seen);
  const rows = order.map(({ k, method }) => {
    const entry = byRow.get(keyOf(k, method))!;
    const baseline = (Object.keys(entry) as OutputsSetting[]).find(isBaseline);
    const cells = {} as Record<Setting, Record<MetricKey, TableCell>>;
    for (const setting of SETTINGS) {
      const perMetric = {} as Record<MetricKey, TableCell>;
      // A baseline has one score, the same whichever setting it stands beside.
      const result = baseline ? entry[baseline] : entry[setting];
      for (const metric of METRIC_KEYS) {
        const outcome = result?.metrics[metric];
        if (typeof outcome === 'number' && Number.isFinite(outcome)) {
          perMetric[metric] = {
            value: outcome,
            text: outcome.toFixed(DEFAULT_METRIC_COLUMNS[metric].decimals),
          };
        } else {
          const reason =
            outcome === undefined
              ? result
                ? 'not computed for this setting'
                : `no ${setting === 'meta' ? 'meta-learned' : 'fine-tuned'} results were given`
              : typeof outcome === 'number'
                ? `value was ${outcome}`
                : outcome.notRun;
          perMetric[metric] = { value: null, text: 'n/a', note: noteFor(reason) };
        }
      }
      cells[setting] = perMetric;
    }
    const scoredOn = Object.values(entry)[0]?.scoredOn;
    return { k, method, ...(baseline ? { baseline } : {}), cells, scoredOn };
  });
  const hasBaselines = rows.some((r) => r.baseline);
  const scoreOf = (row: ResultsTableRow, setting: Setting): PsnrSsim => ({
    psnr: row.cells[setting].psnr.value,
    ssim: row.cells[setting].ssim.value,
  });
  const comparable = (a?: string, b?: string) => a === undefined || b === undefined || a === b;
  const withVerdicts: ResultsTableRow[] = rows.map(({ scoredOn, ...row }) => {
    if (!hasBaselines || row.baseline) return row;
    const verdicts = {} as Record<Setting, VerdictCell>;
    for (const setting of SETTINGS) {
      const baselines: Partial<Record<Baseline, PsnrSsim>> = {};
      for (const b of rows)
        if (b.k === row.k && b.baseline && comparable(scoredOn, b.scoredOn))
          baselines[b.baseline] = scoreOf(b, setting);
      const value = beatsBaselines(scoreOf(row, setting), baselines);
      verdicts[setting] =
        value === null
          ? { value, text: verdictText(value), note: noteFor(NO_VERDICT) }
          : { value, text: verdictText(value) };
    }
    return { ...row, beatsBaselines: verdicts };
  });
  const labels = {} as Record<MetricKey, string>;
  for (const metric of METRIC_KEYS)
    labels[metric] = options.labels?.[metric] ?? DEFAULT_METRIC_COLUMNS[metric].label;
  return { labels, rows: withVerdicts, hasBaselines, footnotes };
}
