import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type ConvSize, flopOf, MEASURES, type Measure } from './conv-measure';

/** One cell of the benchmark: a time, or why there is none (">cap 30 s", "error: …"). */
export interface Cell {
  ms: number | null;
  reps: number;
  note?: string;
}

export interface Row {
  backend: string;
  size: ConvSize;
  cells: Record<Measure, Cell>;
}

const label = (s: ConvSize) => `N${s.n} ${s.size}x${s.size} ${s.cin}->${s.cout}`;

function cellText(row: Row, m: Measure): string {
  const c = row.cells[m];
  if (c.ms === null) return c.note ?? 'n/a';
  const gflops = flopOf(row.size, m) / (c.ms * 1e6);
  return `${c.ms.toFixed(1)} ms (${gflops.toFixed(1)} GF/s)`;
}

/** Markdown table: one row per backend and size, one column per measure, plus two ratios. */
export function formatTable(rows: Row[]): string {
  const head = ['backend', 'conv', ...MEASURES, 'step / forward', 'cpu step / step'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const step = row.cells.trainStep.ms;
    const fwd = row.cells.forward.ms;
    const cpu = rows.find((r) => r.backend === 'cpu' && label(r.size) === label(row.size));
    const cpuStep = cpu?.cells.trainStep;
    let speedup = 'n/a';
    if (step !== null && cpuStep) {
      speedup =
        cpuStep.ms !== null
          ? `${(cpuStep.ms / step).toFixed(1)}x`
          : `>${Math.floor((capSeconds(cpuStep) * 1000) / step)}x`;
    }
    const cells = [
      row.backend,
      label(row.size),
      ...MEASURES.map((m) => cellText(row, m)),
      step !== null && fwd !== null ? `${(step / fwd).toFixed(2)}x` : 'n/a',
      speedup,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The cap recorded in a ">cap N s" note, in seconds (0 if none). */
function capSeconds(c: Cell): number {
  const m = /^>cap (\d+(?:\.\d+)?) s/.exec(c.note ?? '');
  return m ? Number(m[1]) : 0;
}

/** Write JSON atomically: to a temporary file beside the target, then rename over it. */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, path);
}
