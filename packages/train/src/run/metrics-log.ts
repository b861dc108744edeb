import { appendFile, readFile } from 'node:fs/promises';

/** One logged step: counters, lr, every loss term, throughput. */
export interface MetricsRow {
  step: number;
  examples: number;
  lr: number;
  examplesPerSecond: number;
  losses: Record<string, number>;
  /** Held-out metrics when evaluated at this step. */
  eval?: Record<string, number>;
  skipped?: boolean;
  /** Under mixed precision: the loss scale of this step. */
  lossScale?: number;
}

/** Append a row to `metrics.jsonl` (one JSON object per line, append-only: survives crashes). */
export async function appendMetrics(path: string, row: MetricsRow): Promise<void> {
  await appendFile(path, `${JSON.stringify(row)}\n`);
}

/** Every row of a `metrics.jsonl`; a torn last line (crash mid-write) is ignored. */
export async function readMetrics(path: string): Promise<MetricsRow[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const rows: MetricsRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line) as MetricsRow);
    } catch {
      // only the last line can be torn; keep what parsed
    }
  }
  return rows;
}

/** Keep only rows up to `step` (a resumed run rewinds to its checkpoint and logs those steps again). */
export function rowsUpTo(rows: MetricsRow[], step: number): MetricsRow[] {
  return rows.filter((r) => r.step <= step);
}

/** Human-readable log line. */
export function formatRow(row: MetricsRow): string {
  const losses = Object.entries(row.losses)
    .map(([k, v]) => `${k}=${formatNumber(v)}`)
    .join(' ');
  const evals = row.eval
    ? ` | eval ${Object.entries(row.eval)
        .map(([k, v]) => `${k}=${formatNumber(v)}`)
        .join(' ')}`
    : '';
  const scale = row.lossScale !== undefined ? ` loss scale ${row.lossScale}` : '';
  return `step ${row.step} examples ${row.examples} lr ${row.lr.toExponential(3)} ${row.examplesPerSecond.toFixed(2)} ex/s${scale}${row.skipped ? ' SKIPPED' : ''} | ${losses}${evals}`;
}

function formatNumber(v: number): string {
  return Number.isFinite(v)
    ? Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3
      ? v.toExponential(3)
      : v.toFixed(4)
    : String(v);
}

/** Append a line to `log.txt` with a timestamp. */
export async function appendLog(path: string, line: string): Promise<void> {
  await appendFile(path, `${new Date().toISOString()} ${line}\n`);
}

/**
 * A run's `log.txt`, written in the background without reordering: every line is appended after
 * the previous one finished (one promise chain). A failed write never becomes an unhandled
 * rejection that kills a long run: it is reported once through `onError` (the console), the
 * lines after it are still tried, and `flush()` says how many were lost.
 */
export class RunLog {
  private chain: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(
    readonly path: string,
    private readonly onError: (message: string) => void,
  ) {}

  write(line: string): void {
    const stamped = `${new Date().toISOString()} ${line}\n`;
    this.chain = this.chain.then(() =>
      appendFile(this.path, stamped).catch((e: Error) => {
        if (this.failures++ === 0)
          this.onError(`${this.path}: cannot write the run log (${e.message}); training goes on`);
      }),
    );
  }

  /** Wait for every line written so far; returns the number of lines that could not be written. */
  async flush(): Promise<number> {
    await this.chain;
    return this.failures;
  }
}
