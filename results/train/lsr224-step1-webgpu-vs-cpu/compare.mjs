/**
 * Per-loss-term table of two th-train runs' metrics.jsonl (webgpu vs cpu), step by step:
 * node compare.mjs WEBGPU_METRICS CPU_METRICS  -> Markdown rows on stdout.
 * Relative difference = |webgpu - cpu| / |cpu|.
 */
import { readFileSync } from 'node:fs';

const read = (path) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
const [gpuPath, cpuPath] = process.argv.slice(2);
if (!gpuPath || !cpuPath) {
  console.error('usage: node compare.mjs WEBGPU_METRICS CPU_METRICS');
  process.exit(2);
}
const gpu = read(gpuPath);
const cpu = read(cpuPath);
console.log('| step | loss term | webgpu (lavapipe) | cpu | abs. diff | rel. diff |');
console.log('|---|---|---|---|---|---|');
let worst = 0;
for (const row of cpu) {
  const other = gpu.find((r) => r.step === row.step);
  if (!other) continue;
  for (const [term, c] of Object.entries(row.losses)) {
    const g = other.losses[term];
    const abs = Math.abs(g - c);
    const rel = c === 0 ? (abs === 0 ? 0 : Number.POSITIVE_INFINITY) : abs / Math.abs(c);
    worst = Math.max(worst, rel);
    console.log(
      `| ${row.step} | ${term} | ${g.toPrecision(8)} | ${c.toPrecision(8)} | ${abs.toExponential(2)} | ${rel.toExponential(2)} |`,
    );
  }
}
console.log(`\nlargest relative difference: ${worst.toExponential(2)}`);
