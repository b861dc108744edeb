/**
 * The `th-data` command line: `prepare`, `inspect`, `verify`. `runCli` returns the exit code
 * instead of exiting, so it can be tested in-process; the bin entry (th-data-main) calls it.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { inspectDataset, writeContactSheet } from '../dataset/inspect.node-only';
import { prepareDataset } from '../dataset/prepare.node-only';
import { resolveJobSlot } from '../dataset/shard-plan';
import type { LandmarkMode } from '../dataset/unit-runner.node-only';
import { verifyDataset } from '../dataset/verify.node-only';
import { LSR_CLIP_FRAMES } from '../frames/select-frames';

const PREPARE_USAGE = `Usage:
  th-data prepare <input> --out <dataset> [--resolution 224] [--shard i/n] [--jobs n]
                  [--shard-size 1000] [--workers <cores>]
                  [--landmarks detect|detect-each|json|FILE.json] [--clip-frames 10|N|all]

  <input>: a folder of VoxCeleb2 clips (<id>/<video>/<utt>.mp4) and/or frame folders (FSTH:
  frames/{train,test}/<id>/<video>/NNNNN_rgb.png). Resumable: rerun the same command to finish.
  Exits 1 when nothing could be prepared (every input failed: see <dataset>/failures.jsonl).

  --out           the dataset folder to write
  --resolution R  frames, landmark images and segmentations are stored R×R (the model's
                  resolution: lsr-64 trains on a dataset prepared at 64); default 224
  --clip-frames   frames kept per video clip: at most N spread over it (default 10, LSR's
                  rule for VoxCeleb2's million clips), or all (a few clips of your own)
  --shard i/n     this job's part of the work (also from SLURM_ARRAY_TASK_ID/COUNT or
                  JOB_COMPLETION_INDEX, with --jobs or TH_DATA_JOB_COUNT)
  --shard-size N  utterances per shard (default 1000)
  --workers N     detection threads (default: all cores)
  --landmarks     detect (default): face-api finds the face once per utterance and tracks it;
                  detect-each: the detector on every frame (folders of unrelated photos);
                  json: NNNNN_landmarks.json beside each frame; FILE.json: one file mapping
                  frame paths (relative to <input>) to 68 [x, y] pairs or null. Detection needs
                  the npm package @vladmandic/face-api.
`;

const INSPECT_USAGE = `Usage:
  th-data inspect <dataset> [--sheet contact.png] [--rows 8]

  Counts of the dataset as JSON; --sheet also draws a contact sheet (rgb | landmarks |
  segmentation) of --rows utterances.
`;

const VERIFY_USAGE = `Usage:
  th-data verify <dataset>

  Checks every shard against its SHA-256 and the manifest; exits 1 and lists the problems.
`;

export const USAGE = `th-data: from talking-head videos to a sharded K-shot training set

Usage:
  th-data prepare <input> --out <dataset> [options]   decode, detect landmarks, write shards
  th-data inspect <dataset> [--sheet contact.png]     counts and a contact sheet
  th-data verify <dataset>                            check shards and manifest
  th-data help [COMMAND]                              this text, or a command's options
  th-data --version

Exit status: 0 done, 1 failed (the message names the file), 2 usage error, 130 interrupted.
`;

const COMMANDS: Record<string, { usage: string; options: string[] }> = {
  prepare: {
    usage: PREPARE_USAGE,
    options: [
      'out',
      'shard',
      'jobs',
      'shard-size',
      'workers',
      'landmarks',
      'resolution',
      'clip-frames',
    ],
  },
  inspect: { usage: INSPECT_USAGE, options: ['sheet', 'rows'] },
  verify: { usage: VERIFY_USAGE, options: [] },
};

/** A problem with the command line itself (exit 2). */
class UsageError extends Error {}

/** `@th/data <version>`, from the installed package.json. */
function versionLine(): string {
  const req = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  const { name, version } = req('@th/data/package.json') as { name: string; version: string };
  return `${name} ${version}`;
}

function positiveInt(
  value: string | undefined,
  flag: string,
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag}: expected a non-negative integer, got "${value}"`);
  return n;
}

/** `--landmarks`: detect, json, or a landmark file (a path ending in .json). */
export function parseLandmarkMode(text: string): LandmarkMode {
  if (text === 'detect' || text === 'detect-each' || text === 'json') return text;
  if (/\.json$/i.test(text)) return { file: text };
  throw new UsageError(
    `--landmarks: expected detect, detect-each, json or a FILE.json, got "${text}"`,
  );
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const [command, ...rest] = argv;
  const spec = command !== undefined ? COMMANDS[command] : undefined;
  try {
    if (command === undefined || command === '--help' || command === '-h') {
      out(USAGE);
      return 0;
    }
    if (command === '--version' || command === 'version') {
      out(`${versionLine()}\n`);
      return 0;
    }
    if (command === 'help') {
      const topic = rest[0];
      if (topic !== undefined && !COMMANDS[topic])
        throw new UsageError(
          `no help for "${topic}": commands are ${Object.keys(COMMANDS).join(', ')}`,
        );
      out(topic ? COMMANDS[topic]!.usage : USAGE);
      return 0;
    }
    if (!spec) throw new UsageError(`unknown command "${command}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      out(spec.usage);
      return 0;
    }
    const { values, positionals } = parseOptions(rest, spec.options);
    const target = positionals[0];
    if (positionals.length > 1)
      throw new UsageError(
        `${command} takes one path, got also: ${positionals.slice(1).join(' ')}`,
      );
    if (command === 'prepare') {
      if (!target) throw new UsageError('prepare needs <input> (a folder of clips or frames)');
      if (!values.out) throw new UsageError('prepare needs --out <dataset> (the folder to write)');
      const landmarks = parseLandmarkMode(values.landmarks ?? 'detect');
      const report = await prepareDataset({
        input: target,
        out: values.out,
        slot: resolveJobSlot(values.shard, env, positiveInt(values.jobs, '--jobs')),
        shardSize: positiveInt(values['shard-size'], '--shard-size', 1000),
        workers: positiveInt(values.workers, '--workers'),
        landmarks,
        resolution: positiveInt(values.resolution, '--resolution', 224),
        clipFrames:
          values['clip-frames'] === 'all'
            ? 'all'
            : positiveInt(values['clip-frames'], '--clip-frames', LSR_CLIP_FRAMES),
      });
      out(`${JSON.stringify(report)}\n`);
      if (report.utterances === 0) {
        process.stderr.write(
          `th-data prepare: error: nothing was prepared: ${report.failures} input(s) failed (reasons in ${join(values.out, 'failures.jsonl')})\n`,
        );
        return 1;
      }
      return 0;
    }
    if (command === 'inspect') {
      if (!target) throw new UsageError('inspect needs <dataset>');
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
    if (!target) throw new UsageError('verify needs <dataset>');
    const report = await verifyDataset(target);
    for (const p of report.problems) process.stderr.write(`${p}\n`);
    out(
      `verify: ${report.shards} shards, ${report.utterances} utterances, ${report.problems.length} problems\n`,
    );
    return report.problems.length === 0 ? 0 : 1;
  } catch (e) {
    const where = spec ? `th-data ${command}` : 'th-data';
    if (e instanceof UsageError) {
      process.stderr.write(`${where}: ${e.message}\n(${where} --help lists the options)\n`);
      return 2;
    }
    process.stderr.write(`${where}: error: ${(e as Error).message}\n`);
    return 1;
  }
}

/** node:util parseArgs with this command's options; its errors become usage errors naming the option. */
function parseOptions(args: string[], names: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    });
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    const option = /'(-[^']*)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`${option?.split(' ')[0] ?? 'an option'} needs a value`);
    throw new UsageError(message);
  }
}
