/**
 * Times gaussianStats + frechetDistance at FID's size (d = 2048, n = 1600 per set, the LSR
 * protocol's 50 x 32 images). Not a test: run by hand and report the numbers.
 *   npx esbuild bench/frechet-2048.ts --bundle --platform=node --format=esm --outfile=/tmp/fd.mjs
 *   node /tmp/fd.mjs [d] [n]
 */
import { frechetDistance } from '../src/frechet';
import { gaussianStats } from '../src/gaussian-stats';

function features(n: number, d: number, seed: number, shift: number): Float64Array {
  const out = new Float64Array(n * d);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // ReLU-like non-negative features as pool_3 activations are.
    out[i] = Math.max(0, s / 2 ** 32 - 0.4 + shift * ((i % d) / d));
  }
  return out;
}

const d = Number(process.argv[2] ?? 2048);
const n = Number(process.argv[3] ?? 1600);
// CPU time as well as wall time: the CI machines are shared, so wall time alone is noisy.
const cpuMs = () => process.cpuUsage().user / 1000;
let t = performance.now();
let c = cpuMs();
const a = gaussianStats({ data: features(n, d, 1, 0), rows: n, cols: d });
const b = gaussianStats({ data: features(n, d, 2, 0.2), rows: n, cols: d });
const statsMs = performance.now() - t;
const statsCpuMs = cpuMs() - c;
t = performance.now();
c = cpuMs();
const fd = frechetDistance(a.mean, a.covariance, b.mean, b.covariance);
const fdMs = performance.now() - t;
const fdCpuMs = cpuMs() - c;
console.log(
  JSON.stringify({
    d,
    n,
    fd,
    gaussianStatsBothSets: { wallMs: Math.round(statsMs), cpuMs: Math.round(statsCpuMs) },
    frechet: { wallMs: Math.round(fdMs), cpuMs: Math.round(fdCpuMs) },
  }),
);
