/**
 * The `th-data` command line: `prepare`, `inspect`, `verify`. `runCli` returns the exit code
 * instead of exiting, so it can be tested in-process; the bin entry (th-data-main) calls it.
 */
import { parseArgs } from 'node:util';
import { inspectDataset, writeContactSheet } from '../dataset/inspect.node-only';
import { prepareDataset } from '../dataset/prepare.node-only';
import { resolveJobSlot } from '../dataset/shard-plan';
import type { LandmarkMode } from '../dataset/unit-runner.node-only';
import { verifyDataset } from '../dataset/verify.node-only';

export const USAGE = `usage:
  th-data prepare <input> --out <dataset> [--resolution 224] [--shard i/n] [--jobs n]
                  [--shard-size 1000] [--workers <cores>]
                  [--landmarks detect|detect-each|json|FILE.json]
      input: VoxCeleb2 clips (<id>/<video>/<utt>.mp4) and/or frame folders (FSTH:
      frames/{train,test}/<id>/<video>/NNNNN_rgb.png). Resumable: rerun to finish.
      --resolution R: frames, landmark images and segmentations are stored R×R (the model's
      resolution: lsr-64 trains on a dataset prepared at 64).
      --shard also comes from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX (+ --jobs or
      TH_DATA_JOB_COUNT). --landmarks detect (default) finds the face once per utterance
      and tracks it; detect-each runs the detector on every frame (folders of unrelated
      photos); json reads NNNNN_landmarks.json beside each frame;
      --landmarks FILE.json reads one file mapping frame paths (relative to <input>) to 68
      [x, y] pairs or null.
  th-data inspect <dataset> [--sheet contact.png] [--rows 8]
  th-data verify <dataset>
`;

function positiveInt(
  value: string | undefined,
  flag: string,
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${flag}: expected a non-negative integer, got "${value}"`);
  return n;
}

/** `--landmarks`: detect, json, or a landmark file (a path ending in .json). */
export function parseLandmarkMode(text: string): LandmarkMode {
  if (text === 'detect' || text === 'detect-each' || text === 'json') return text;
  if (/\.json$/i.test(text)) return { file: text };
  throw new Error(`--landmarks: expected detect, detect-each, json or a FILE.json, got "${text}"`);
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        shard: { type: 'string' },
        jobs: { type: 'string' },
        'shard-size': { type: 'string' },
        workers: { type: 'string' },
        landmarks: { type: 'string' },
        resolution: { type: 'string' },
        sheet: { type: 'string' },
        rows: { type: 'string' },
      },
    });
    const target = positionals[0];
    if (command === 'prepare') {
      if (!target || !values.out) throw new Error('prepare needs <input> and --out <dataset>');
      const landmarks = parseLandmarkMode(values.landmarks ?? 'detect');
      const report = await prepareDataset({
        input: target,
        out: values.out,
        slot: resolveJobSlot(values.shard, env, positiveInt(values.jobs, '--jobs')),
        shardSize: positiveInt(values['shard-size'], '--shard-size', 1000),
        workers: positiveInt(values.workers, '--workers'),
        landmarks,
        resolution: positiveInt(values.resolution, '--resolution', 224),
      });
      out(`${JSON.stringify(report)}\n`);
      return 0;
    }
    if (command === 'inspect') {
      if (!target) throw new Error('inspect needs <dataset>');
      const report = await inspectDataset(target);
      out(`${JSON.stringify(report, null, 2)}\n`);
      if (values.sheet) {
        const size = await writeContactSheet(
          target,
          values.sheet,
          positiveInt(values.rows, '--rows', 8),
        );
        out(
          `contact sheet: ${values.sheet} (${size.width}x${size.height}; columns: rgb, landmarks, segmentation)\n`,
        );
      }
      return 0;
    }
    if (command === 'verify') {
      if (!target) throw new Error('verify needs <dataset>');
      const report = await verifyDataset(target);
      for (const p of report.problems) process.stderr.write(`${p}\n`);
      out(
        `verify: ${report.shards} shards, ${report.utterances} utterances, ${report.problems.length} problems\n`,
      );
      return report.problems.length === 0 ? 0 : 1;
    }
    process.stderr.write(command ? `th-data: unknown command "${command}"\n${USAGE}` : USAGE);
    return 2;
  } catch (e) {
    process.stderr.write(`th-data ${command ?? ''}: error: ${(e as Error).message}\n`);
    return 2;
  }
}
