/**
 * ID-SIM acceptance check: embeds every `*_rgb.png` of an FSTH-layout folder with an identity
 * embedder (mobileface, faceres, or arcface with a weights file) and prints the same-identity and
 * different-identity cosine distributions (all frame pairs), plus the frames where no face was
 * found.
 *
 *   npx esbuild scripts/id-sim-separation.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=node_modules/.cache/th-metrics/id-sim.mjs
 *   node node_modules/.cache/th-metrics/id-sim.mjs FRAMES_DIR [mobileface|faceres|arcface] [weights]
 */
import { resolve } from 'node:path';
import { listFsthFrames, readPngRgb } from '../src/eval/frame-files.node-only';
import { embedLabelledFrames } from '../src/identity/embed-frames.node-only';
import { createIdentityEmbedder } from '../src/identity/select-embedder.node-only';
import { identitySeparation } from '../src/identity/separation';
import type { SummaryStats } from '../src/identity/summary-stats';

if (!process.argv[2]) {
  console.error('usage: id-sim.mjs FRAMES_DIR [mobileface|faceres|arcface] [weights]');
  process.exit(2);
}
const root = resolve(process.argv[2]);
const frames = await listFsthFrames(root);
const embedder = await createIdentityEmbedder(process.argv[3] ?? 'mobileface', {
  arcfaceWeights: process.argv[4],
  log: (line) => console.error(line),
});
const started = performance.now();
const { embeddings, failures } = await embedLabelledFrames(
  embedder,
  frames.map((f) => ({ identity: f.identity, source: f.path })),
  readPngRgb,
);
const seconds = (performance.now() - started) / 1000;
const r = identitySeparation(embeddings);
const row = (name: string, s: SummaryStats) =>
  `| ${name} | ${s.count} | ${s.mean.toFixed(3)} | ${s.std.toFixed(3)} | ${s.min.toFixed(3)} | ${s.max.toFixed(3)} |`;
console.log(`CSIM (${embedder.name}) on ${root}`);
console.log(
  `${frames.length} frames, ${new Set(frames.map((f) => f.identity)).size} identities, ${seconds.toFixed(1)} s`,
);
console.log('| pairs | n | mean | std | min | max |\n|---|---|---|---|---|---|');
console.log(row('same identity', r.same));
console.log(row('different identity', r.different));
console.log(
  `mean gap ${r.meanGap.toFixed(3)}, worst-case gap (min same − max different) ${r.worstCaseGap.toFixed(3)}`,
);
// Fraction of (same, different) pairs ordered correctly: the ROC AUC of the cosine as a verifier.
let ordered = 0;
const sortedDiff = [...r.differentScores].sort((a, b) => a - b);
for (const s of r.sameScores) {
  let lo = 0;
  let hi = sortedDiff.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedDiff[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  ordered += lo;
}
console.log(`AUC ${(ordered / (r.sameScores.length * r.differentScores.length)).toFixed(4)}`);
console.log(`no face found: ${failures.length}${failures.map((f) => `\n  ${f.source}`).join('')}`);
embedder.dispose();
