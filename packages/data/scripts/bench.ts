/**
 * Benchmark: preprocessing throughput (frames/s, and per core) of `prepare` with face-api on the
 * VoxCeleb2 sample (its clips folder; see docs/design.md#sample-data), then K-shot loader
 * throughput (examples/s, K = 4, 224²).
 * Usage: npm run bench -- <input folder> [workers]
 */
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// The built package (npm run build first, as turbo's bench task does): its worker pool needs
// dist/prepare-worker.js beside it.
import { kShotExamples, prepareDataset } from '@th/data/node';

async function main(): Promise<void> {
  if (!process.argv[2]) {
    console.error('usage: npm run bench -- <input folder> [workers]  (e.g. the VoxCeleb2 sample)');
    process.exit(2);
  }
  const input = resolve(process.argv[2]);
  const workers = Number(process.argv[3] ?? availableParallelism());
  const out = await mkdtemp(join(tmpdir(), 'th-data-bench-'));
  const report = await prepareDataset({ input, out, workers, shardSize: 1000 });
  const fps = report.frames / report.seconds;
  console.log(
    `prepare: ${report.utterances} utterances, ${report.frames} frames, ${report.failures} failed`,
  );
  console.log(
    `prepare: ${report.seconds.toFixed(1)} s, ${fps.toFixed(2)} frames/s with ${workers} workers = ${(fps / workers).toFixed(2)} frames/s per core`,
  );

  for (const prefetchDepth of [0, 8]) {
    let n = 0;
    const start = performance.now();
    for await (const _ of kShotExamples({ dataset: out, k: 4, epochs: 8, prefetch: prefetchDepth }))
      n++;
    const s = (performance.now() - start) / 1000;
    console.log(
      `loader: K=4, 224x224, prefetch ${prefetchDepth}: ${n} examples in ${s.toFixed(2)} s = ${(n / s).toFixed(1)} examples/s`,
    );
  }
  console.log(`dataset left in ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
