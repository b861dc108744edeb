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
  return inUnit(side.wall_ms, unit);
};

const inUnit = (ms: number, unit: Row['unit']) =>
  unit === 'ms' ? `${ms.toFixed(1)} ms` : `${(1000 / ms).toFixed(2)}`;

const ratio = (a: number | null, b: number | null) =>
  a === null || b === null ? 'n/a' : `${(a / b).toFixed(2)}×`;

/** Both sides' fastest round (the one other jobs disturbed least) and their time ratio. */
const fastest = (r: Row) => {
  if (!r.th.rounds.length || !r.torch.rounds.length) return 'n/a';
  const a = Math.min(...r.th.rounds);
  const b = Math.min(...r.torch.rounds);
  return `${inUnit(a, r.unit)} vs ${inUnit(b, r.unit)} (${ratio(a, b)})`;
};

/**
 * The Markdown table: per measure both sides (medians over rounds), the wall-time ratio, the
 * CPU-time ratio, and both sides' fastest round.
 */
export function markdownTable(rows: Row[], threads: number): string {
  const head = [
    'measure',
    `@th wasm, ${threads} thread${threads === 1 ? '' : 's'}`,
    `PyTorch CPU, ${threads} thread${threads === 1 ? '' : 's'}`,
    '@th time / PyTorch time',
    'CPU time ratio',
    'fastest rounds: @th vs PyTorch (time ratio)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const unit = r.unit === 'ms' ? '' : ' (frames/s)';
    lines.push(
      `| ${r.measure}${unit} | ${show(r.th, r.unit)} | ${show(r.torch, r.unit)} | ${ratio(r.th.wall_ms, r.torch.wall_ms)} | ${ratio(r.th.cpu_ms, r.torch.cpu_ms)} | ${fastest(r)} |`,
    );
  }
  return lines.join('\n');
}

/** What one bench run writes to PREFIX.json (and renders from it, see `resultSection`). */
export interface BenchResult {
  benchmark: 'cpu-vs-pytorch';
  /** ISO time the run ended. */
  date: string;
  machine: { cpu: string; cores: number; node: string; torch: string };
  rounds: number;
  loadAverage: { min: number; max: number; samples: number[] };
  tables: { threads: number; rows: Row[] }[];
  /** Parameter counts per network, per "threads:case", as each side reported them. */
  params: Record<string, { th?: Record<string, number>; torch?: Record<string, number> }>;
  command: string;
}

/** The Markdown the README and PREFIX.md show for a run; `rawPath` names its JSON. */
export function resultSection(r: BenchResult, rawPath: string): string {
  // Inference builds no discriminator on the @th side: compare the networks both sides report.
  const mismatched = Object.entries(r.params).filter(([, p]) => {
    const a = p.th ?? {};
    const b = p.torch ?? {};
    return Object.keys(a).some((net) => net in b && a[net] !== b[net]);
  });
  const m = r.machine;
  const load = `${r.loadAverage.min.toFixed(1)}–${r.loadAverage.max.toFixed(1)}`;
  return [
    `Measured ${r.date.slice(0, 10)} on ${m.cpu} (${m.cores} cores), Node ${m.node}, PyTorch ${m.torch}; the same thread count on both sides; median of ${r.rounds} alternating rounds; 1-minute load average ${load} during the run (other jobs shared the machine).`,
    '',
    ...r.tables.flatMap((t) => [markdownTable(t.rows, t.threads), '']),
    mismatched.length
      ? `**Parameter counts differ** between the two implementations for: ${mismatched.map(([n]) => n).join(', ')}.`
      : 'Both sides run networks with identical parameter counts (checked per network in every run).',
    '',
    `Command: \`${r.command}\` (raw numbers: \`${rawPath}\`).`,
  ].join('\n');
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
