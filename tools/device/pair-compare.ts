// Issue #16's training-quality check: two th-train runs that differ only in --precision (f32 and
// mixed; same seed, data, length), compared by their hold-out L1 at every evaluation.
// Bundled for the GPU machine (`node tools/device/bundle.mjs tools/device/pair-compare.ts
// pair-compare`, which mixed-precision.sh bundle does), then:
//   node .device/pair-compare.mjs <f32 metrics.jsonl> <mixed metrics.jsonl> [out.json]
// Prints one row per evaluated step and writes both curves and the relative differences to
// out.json; exit 1 if the last common evaluation differs by more than 5 %, 2 on a missing file.
// The rows are read as th-train reads its own metrics (a torn last line of a killed run ignored).
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { readMetrics } from '../../packages/train/src/run/metrics-log';

const TOLERANCE = 0.05;

async function holdoutCurve(file: string): Promise<Map<number, { l1: number; psnr?: number }>> {
  if (!existsSync(file)) {
    console.error(`${file}: no such file`);
    process.exit(2);
  }
  const curve = new Map<number, { l1: number; psnr?: number }>();
  for (const row of await readMetrics(file))
    if (row.eval && Number.isFinite(row.eval.l1))
      curve.set(row.step, { l1: row.eval.l1!, psnr: row.eval.psnr });
  return curve;
}

const [f32File, mixedFile, outFile] = process.argv.slice(2);
if (!f32File || !mixedFile) {
  console.error(
    'usage: node pair-compare.mjs <f32 metrics.jsonl> <mixed metrics.jsonl> [out.json]',
  );
  process.exit(2);
}
const f32 = await holdoutCurve(f32File);
const mixed = await holdoutCurve(mixedFile);
const steps = [...f32.keys()].filter((s) => mixed.has(s)).sort((a, b) => a - b);
if (steps.length === 0) {
  console.error(
    `no step evaluated in both runs (f32: ${f32.size} evaluations, mixed: ${mixed.size})`,
  );
  process.exit(1);
}
const rows = steps.map((step) => {
  const a = f32.get(step)!;
  const b = mixed.get(step)!;
  return {
    step,
    f32L1: a.l1,
    mixedL1: b.l1,
    relDiff: (b.l1 - a.l1) / a.l1,
    f32Psnr: a.psnr,
    mixedPsnr: b.psnr,
  };
});
console.log('step  hold-out L1 f32  mixed    rel. diff');
for (const r of rows)
  console.log(
    `${String(r.step).padStart(4)}  ${r.f32L1.toFixed(4).padStart(15)}  ${r.mixedL1.toFixed(4)}  ${(100 * r.relDiff).toFixed(2).padStart(7)} %`,
  );
const last = rows[rows.length - 1]!;
const pass = Math.abs(last.relDiff) <= TOLERANCE;
console.log(
  `last common evaluation (step ${last.step}): ${(100 * last.relDiff).toFixed(2)} % (tolerance ${100 * TOLERANCE} %): ${pass ? 'pass' : 'FAIL'}`,
);
if (outFile) {
  const tmp = `${outFile}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ tolerance: TOLERANCE, pass, rows }, null, 1)}\n`);
  renameSync(tmp, outFile);
}
process.exit(pass ? 0 : 1);
