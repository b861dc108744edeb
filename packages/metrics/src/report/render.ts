import { SETTINGS, type Setting } from './settings';
import {
  DEFAULT_METRIC_COLUMNS,
  METRIC_KEYS,
  type ResultsTable,
  type ResultsTableRow,
  type TableCell,
  type VerdictCell,
} from './table';

const ARROW = { higher: '↑', lower: '↓' } as const;
const PREFIX: Record<Setting, string> = { meta: '', finetuned: 'ft ' };

/** Heading of the verdict column that follows each setting's metrics in a table with baselines. */
const VERDICT_HEADING = 'beats both baselines (PSNR & SSIM)';

function headings(table: ResultsTable): string[] {
  const cols = ['K', 'method'];
  for (const setting of SETTINGS) {
    for (const metric of METRIC_KEYS) {
      cols.push(
        `${PREFIX[setting]}${table.labels[metric]}${ARROW[DEFAULT_METRIC_COLUMNS[metric].better]}`,
      );
    }
    if (table.hasBaselines) cols.push(`${PREFIX[setting]}${VERDICT_HEADING}`);
  }
  return cols;
}

const cellText = (cell: TableCell | VerdictCell) =>
  cell.note === undefined ? cell.text : `${cell.text} [${cell.note}]`;

/** The cells of one setting group: the metrics, then the verdict (a baseline's reads "–"). */
function groupCells(
  table: ResultsTable,
  row: ResultsTableRow,
  setting: Setting,
  metric: (cell: TableCell) => string,
): string[] {
  const cells = METRIC_KEYS.map((m) => metric(row.cells[setting][m]));
  if (table.hasBaselines) {
    const verdict = row.beatsBaselines?.[setting];
    cells.push(verdict ? cellText(verdict) : '–');
  }
  return cells;
}

const methodText = (row: ResultsTableRow) => row.method.replaceAll('|', '\\|');

/** Markdown in the supplement's Table 2 layout, followed by numbered footnotes for n/a cells. */
export function renderMarkdown(table: ResultsTable): string {
  const head = headings(table);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of table.rows) {
    const cells = [String(row.k), methodText(row)];
    for (const setting of SETTINGS) cells.push(...groupCells(table, row, setting, cellText));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  if (table.footnotes.length > 0) {
    lines.push('');
    for (const [i, note] of table.footnotes.entries()) lines.push(`[${i + 1}] ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * CSV with the same columns (RFC 4180 quoting). Numbers are written at full precision so the file
 * can be re-analysed; a trailing `notes` column carries the reasons for that row's n/a cells.
 */
export function renderCsv(table: ResultsTable): string {
  const lines = [[...headings(table), 'notes'].map(csvField).join(',')];
  for (const row of table.rows) {
    const cells = [String(row.k), row.method];
    const notes = new Set<number>();
    for (const setting of SETTINGS) {
      const group = groupCells(table, row, setting, (cell) =>
        cell.value === null ? cellText(cell) : String(cell.value),
      );
      cells.push(...group);
      for (const metric of METRIC_KEYS) {
        const note = row.cells[setting][metric].note;
        if (note !== undefined) notes.add(note);
      }
      const verdictNote = row.beatsBaselines?.[setting].note;
      if (verdictNote !== undefined) notes.add(verdictNote);
    }
    cells.push([...notes].map((n) => `[${n}] ${table.footnotes[n - 1]}`).join('; '));
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON: column labels, one object per row (value null + note id for n/a), and the footnotes. */
export function renderJson(table: ResultsTable): string {
  const rows = table.rows.map((row) => {
    const out: Record<string, unknown> = { k: row.k, method: row.method };
    if (row.baseline) out.baseline = row.baseline;
    if (row.beatsBaselines) {
      const verdicts: Record<string, unknown> = {};
      for (const setting of SETTINGS) {
        const v = row.beatsBaselines[setting];
        verdicts[setting] = v.value === null ? { value: null, note: v.note } : { value: v.value };
      }
      out.beatsBaselines = verdicts;
    }
    for (const setting of SETTINGS) {
      const metrics: Record<string, unknown> = {};
      for (const metric of METRIC_KEYS) {
        const cell = row.cells[setting][metric];
        metrics[metric] =
          cell.value === null ? { value: null, note: cell.note } : { value: cell.value };
      }
      out[setting] = metrics;
    }
    return out;
  });
  const footnotes = table.footnotes.map((text, i) => ({ id: i + 1, text }));
  return `${JSON.stringify({ labels: table.labels, rows, footnotes }, null, 2)}\n`;
}
