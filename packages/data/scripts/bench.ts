/**
 * Benchmarks of @th/data (numbers in the README):
 *
 *   npm run bench -- loader [--examples 100000] [--utterances 10000] [--frames 10]
 *                           [--resolution 224] [--k 4] [--workers 2] [--batch 4] [--keep DIR]
 *     Scale proof of the K-shot stream: writes a synthetic dataset (utterances × frames, default
 *     10,000 × 10 = 100,000 frames at 224², generated here, never committed) into a temp folder,
 *     streams `examples` K-shot examples through it (batches converted to tensors, as training
 *     does), and prints resident memory (RSS) and examples/s at 1k, 10k, 100k... examples.
 *
 *   npm run bench -- prepare <input folder> [--workers 2] [--landmarks detect|detect-each]
 *     `th-data prepare` throughput with face-api landmarks (frames/s, and per worker): `detect`
 *     (found once per utterance and tracked, the default) or `detect-each` (the detector on every
 *     frame, as prepare did before tracking). The VoxCeleb2 sample (docs/design.md#sample-data) is the
 *     reference input.
 *
 * Run after `npm run build` (the loader's and prepare's worker threads run from dist/).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { init } from '@th/backend';
import { batchToTensors } from '@th/data';
import { openKShotStream, prepareDataset, writeSyntheticDataset } from '@th/data/node';

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

async function loaderBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      examples: { type: 'string', default: '100000' },
      utterances: { type: 'string', default: '10000' },
      frames: { type: 'string', default: '10' },
      resolution: { type: 'string', default: '224' },
      k: { type: 'string', default: '4' },
      workers: { type: 'string', default: '2' },
      batch: { type: 'string', default: '4' },
      keep: { type: 'string' },
    },
  });
  const total = Number(values.examples);
  const batch = Number(values.batch);
  const dir = values.keep ?? (await mkdtemp(join(tmpdir(), 'th-data-scale-')));
  const t0 = performance.now();
  const summary = await writeSyntheticDataset(dir, {
    utterances: Number(values.utterances),
    framesPerUtterance: Number(values.frames),
    resolution: Number(values.resolution),
    distinctFrames: 64,
  });
  console.log(
    `dataset: ${summary.utterances} utterances, ${summary.frames} frames at ${summary.resolution}², ` +
      `${summary.shardsDone} shards, written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`,
  );
  await init({ backend: 'cpu' });
  const stream = await openKShotStream({
    dataset: dir,
    k: Number(values.k),
    workers: Number(values.workers),
    seed: 1,
  });
  console.log(
    `stream: K ${values.k}, batch ${batch}, ${values.workers} decode workers, shuffle buffer 256, ` +
      `${stream.epochLength} examples per epoch; RSS at start ${mb(process.memoryUsage().rss)}`,
  );
  const marks = [1000, 10_000, 100_000, 1_000_000].filter((m) => m <= total);
  if (!marks.includes(total)) marks.push(total);
  let served = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let lastMark = { at: 0, t: start, cpu: cpuStart };
  let peak = 0;
  while (served < total) {
    const examples = await stream.nextBatch(Math.min(batch, total - served));
    const tensors = batchToTensors(examples);
    tf.dispose(Object.values(tensors));
    served += examples.length;
    peak = Math.max(peak, process.memoryUsage().rss);
    if (served >= marks[0]!) {
      const now = performance.now();
      const cpu = process.cpuUsage(); // all threads of the process: main + decode workers
      const rate = (served - lastMark.at) / ((now - lastMark.t) / 1000);
      const cpuMs =
        (cpu.user + cpu.system - lastMark.cpu.user - lastMark.cpu.system) /
        1000 /
        (served - lastMark.at);
      console.log(
        `${served} examples: RSS ${mb(process.memoryUsage().rss)} (peak so far ${mb(peak)}), ` +
          `${rate.toFixed(1)} examples/s since the last mark (${(served / ((now - start) / 1000)).toFixed(1)} overall), ` +
          `${cpuMs.toFixed(1)} CPU ms per example, epoch ${stream.state().epoch}; load average ${loadavg()[0]!.toFixed(1)}`,
      );
      lastMark = { at: served, t: now, cpu };
      marks.shift();
    }
  }
  await stream.close();
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}

async function prepareBench(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      workers: { type: 'string', default: String(availableParallelism()) },
      landmarks: { type: 'string', default: 'detect' },
    },
  });
  const input = positionals[0];
  if (!input)
    throw new Error('usage: npm run bench -- prepare <input folder> [--workers N] [--landmarks M]');
  const workers = Number(values.workers);
  const landmarks = values.landmarks as 'detect' | 'detect-each';
  const out = await mkdtemp(join(tmpdir(), 'th-data-bench-'));
  const cpu0 = process.cpuUsage();
  const report = await prepareDataset({
    input: resolve(input),
    out,
    workers,
    landmarks,
    shardSize: 1000,
  });
  const cpu = process.cpuUsage(cpu0); // all threads: this one and the workers
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const fps = report.frames / report.seconds;
  console.log(
    `prepare (${landmarks}): ${report.utterances} utterances, ${report.frames} frames, ${report.failures} failed`,
  );
  console.log(
    `prepare (${landmarks}): ${cpuSeconds.toFixed(1)} CPU s = ${(report.frames / cpuSeconds).toFixed(2)} frames per CPU second (frames/s per core when cores are not shared); load average ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `prepare (${landmarks}): ${report.seconds.toFixed(1)} s, ${fps.toFixed(2)} frames/s with ${workers} workers = ${(fps / Math.max(1, workers)).toFixed(2)} frames/s per worker`,
  );
  await rm(out, { recursive: true, force: true });
}

const [mode, ...rest] = process.argv.slice(2);
(mode === 'prepare'
  ? prepareBench(rest)
  : loaderBench(mode === 'loader' ? rest : process.argv.slice(2))
).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
