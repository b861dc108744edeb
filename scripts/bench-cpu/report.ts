import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One measurement of one side: median wall and process-CPU ms, or why there is none. */
export interface Side {
  wall_ms: number | null;
  cpu_ms: number | null;
  /** Per-round medians (wall ms) the median was taken over. */
  rounds: number[];
  note?: string;
}

export interface Row {
  /** e.g. "conv training step (N4 64×64 64→64)". */
  measure: string;
  /** How the number is shown: milliseconds per call, or frames per second. */
  unit: 'ms' | 'frames/s';
  th: Side;
  torch: Side;
}

const show = (side: Side, unit: Row['unit']) => {
  if (side.wall_ms === null) return side.note ?? 'n/a';
  return unit === 'ms' ? `${side.wall_ms.toFixed(1)} ms` : `${(1000 / side.wall_ms).toFixed(2)}`;
};

const ratio = (a: number | null, b: number | null) =>
  a === null || b === null ? 'n/a' : `${(a / b).toFixed(2)}×`;

/** The Markdown table: per measure both sides, the wall-time ratio and the CPU-time ratio. */
export function markdownTable(rows: Row[], threads: number): string {
  const head = [
    'measure',
    `@th wasm, ${threads} thread${threads === 1 ? '' : 's'}`,
    `PyTorch CPU, ${threads} thread${threads === 1 ? '' : 's'}`,
    '@th time / PyTorch time',
    'CPU time ratio',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const unit = r.unit === 'ms' ? '' : ' (frames/s)';
    lines.push(
      `| ${r.measure}${unit} | ${show(r.th, r.unit)} | ${show(r.torch, r.unit)} | ${ratio(r.th.wall_ms, r.torch.wall_ms)} | ${ratio(r.th.cpu_ms, r.torch.cpu_ms)} |`,
    );
  }
  return lines.join('\n');
}

/** Write a file atomically: a temporary file beside it, then a rename. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

export const README_START = '<!-- cpu-bench:start -->';
export const README_END = '<!-- cpu-bench:end -->';

/** Replace the text between the README's cpu-bench markers; a clear error if they are missing. */
export function updateReadme(path: string, section: string): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) {
    throw new Error(`${path}: no "${README_START}" … "${README_END}" section to update`);
  }
  const before = text.slice(0, start + README_START.length);
  writeAtomic(path, `${before}\n${section}\n${text.slice(end)}`);
}
