import {
  DEFAULT_METRIC_COLUMNS,
  METRIC_KEYS,
  type ResultsTable,
  SETTINGS,
  type Setting,
  type TableCell,
} from './table';

const ARROW = { higher: '↑', lower: '↓' } as const;
const PREFIX: Record<Setting, string> = { meta: '', finetuned: 'ft ' };

function headings(table: ResultsTable): string[] {
  const cols = ['K', 'method'];
  for (const setting of SETTINGS) {
    for (const metric of METRIC_KEYS) {
      cols.push(
        `${PREFIX[setting]}${table.labels[metric]}${ARROW[DEFAULT_METRIC_COLUMNS[metric].better]}`,
      );
    }
  }
  return cols;
}

const cellText = (cell: TableCell) =>
  cell.note === undefined ? cell.text : `${cell.text} [${cell.note}]`;

/** Markdown in the supplement's Table 2 layout, followed by numbered footnotes for n/a cells. */
export function renderMarkdown(table: ResultsTable): string {
  const head = headings(table);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of table.rows) {
    const cells = [String(row.k), row.method.replaceAll('|', '\\|')];
    for (const setting of SETTINGS) {
      for (const metric of METRIC_KEYS) cells.push(cellText(row.cells[setting][metric]));
    }
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
      for (const metric of METRIC_KEYS) {
        const cell = row.cells[setting][metric];
        cells.push(cell.value === null ? cellText(cell) : String(cell.value));
        if (cell.note !== undefined) notes.add(cell.note);
      }
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
