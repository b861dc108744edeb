/**
 * Builds the layout of the LSR supplement's Table 2: one row per (K, method), and for each of the
 * two settings (meta-learned, fine-tuned) the columns PSNR↑ SSIM↑ LPIPS↓ ID-SIM↑ NMKE↓ FID↓.
 * A metric that could not run is kept in the table as "n/a" with a numbered footnote giving the
 * reason, so a partial evaluation is never mistaken for a complete one.
 */

export const METRIC_KEYS = ['psnr', 'ssim', 'lpips', 'idSim', 'nmke', 'fid'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
export const SETTINGS = ['meta', 'finetuned'] as const;
export type Setting = (typeof SETTINGS)[number];

/** A metric value, or the reason it is missing (e.g. the MissingWeightsError message). */
export type MetricOutcome = number | { readonly notRun: string };

/** Metric values of one (K, method, setting) evaluation. Absent keys count as "not computed". */
export interface SettingResult {
  readonly k: number;
  readonly method: string;
  readonly setting: Setting;
  readonly metrics: Partial<Record<MetricKey, MetricOutcome>>;
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

export interface ResultsTable {
  /** Heading per metric key, e.g. "ID-SIM (MobileFace)" when relabelled. */
  readonly labels: Record<MetricKey, string>;
  readonly rows: readonly {
    readonly k: number;
    readonly method: string;
    readonly cells: Record<Setting, Record<MetricKey, TableCell>>;
  }[];
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
  const byRow = new Map<string, Partial<Record<Setting, SettingResult>>>();
  const order: { k: number; method: string; seen: number }[] = [];
  results.forEach((r) => {
    if (!Number.isInteger(r.k) || r.k < 1)
      throw new Error(`results: K must be a positive integer, got ${r.k}`);
    if (!SETTINGS.includes(r.setting)) throw new Error(`results: unknown setting "${r.setting}"`);
    const key = keyOf(r.k, r.method);
    if (!byRow.has(key)) {
      byRow.set(key, {});
      order.push({ k: r.k, method: r.method, seen: order.length });
    }
    const row = byRow.get(key)!;
    if (row[r.setting])
      throw new Error(`results: duplicate entry for K=${r.k}, ${r.method}, ${r.setting}`);
    row[r.setting] = r;
  });
  order.sort((a, b) => a.k - b.k || a.seen - b.seen);
  const rows = order.map(({ k, method }) => {
    const entry = byRow.get(keyOf(k, method))!;
    const cells = {} as Record<Setting, Record<MetricKey, TableCell>>;
    for (const setting of SETTINGS) {
      const perMetric = {} as Record<MetricKey, TableCell>;
      for (const metric of METRIC_KEYS) {
        const outcome = entry[setting]?.metrics[metric];
        if (typeof outcome === 'number' && Number.isFinite(outcome)) {
          perMetric[metric] = {
            value: outcome,
            text: outcome.toFixed(DEFAULT_METRIC_COLUMNS[metric].decimals),
          };
        } else {
          const reason =
            outcome === undefined
              ? entry[setting]
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
    return { k, method, cells };
  });
  const labels = {} as Record<MetricKey, string>;
  for (const metric of METRIC_KEYS)
    labels[metric] = options.labels?.[metric] ?? DEFAULT_METRIC_COLUMNS[metric].label;
  return { labels, rows, footnotes };
}
