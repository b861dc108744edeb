import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { init } from '@th/backend';
import { cleanUpOnInterrupt } from '@th/data/node';
import { planResume, type TrainConfig } from '@th/train';
import { finetuneRun, latestRunDir, readRunRecord, trainRun } from '@th/train/node';
import { type CliArgs, HELP, parseCliArgs } from './cli-args';
import { resolveConfig } from './resolve-config';

/** A problem with the command line itself (exit 2). */
class UsageError extends Error {}

/** Parsing and validating arguments: every complaint is a usage error. */
function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
}

function versionLine(): string {
  const req = createRequire(import.meta.url);
  const { name, version } = req('@th/trainer/package.json') as { name: string; version: string };
  return `${name} ${version}`;
}

/**
 * The config to run: a new run's from the defaults, file and flags (it needs --data); a resumed
 * run's from the config.json it recorded, with only what is given now on top (trainRun then
 * refuses changes to the fields that fix the run and records the others).
 */
async function configFor(args: CliArgs): Promise<TrainConfig> {
  const fresh = asUsage(() => resolveConfig(args));
  if (fresh.resume === null) {
    if (!fresh.data.path && !fresh.finetune.enabled)
      throw new UsageError(
        'no training data: pass --data DATASET (a dataset made by th-data prepare, or a folder of clips or frames)',
      );
    if (!fresh.data.path)
      throw new UsageError("--finetune needs the identity's data: pass --data DATASET");
    return fresh;
  }
  let target = fresh.resume;
  if (target === 'latest') {
    const latest = await latestRunDir(fresh.run.parent);
    if (!latest)
      throw new Error(
        `--resume: no run directory under ${fresh.run.parent} (give the run: --resume RUN_DIR, or --run-dir)`,
      );
    target = latest;
  }
  if (!existsSync(target)) throw new Error(`--resume: ${target} does not exist`);
  const runDir = statSync(target).isFile() ? join(target, '..', '..') : target;
  const recorded = await readRunRecord(runDir);
  const resumed = asUsage(() => resolveConfig(args, undefined, recorded.config));
  // Refused changes stop here, before the backend starts (trainRun checks again and records).
  asUsage(() => planResume(recorded.config, resumed, runDir));
  return { ...resumed, resume: target };
}

/** th-train entry point; returns the exit code. */
export async function main(
  argv: readonly string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  let args: CliArgs;
  let config: TrainConfig;
  try {
    args = asUsage(() => parseCliArgs(argv));
    if (args.help) {
      out(HELP);
      return 0;
    }
    if (args.version) {
      out(`${versionLine()}\n`);
      return 0;
    }
    config = await configFor(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e; // a run that cannot be read: exit 1, named
    process.stderr.write(`th-train: ${e.message}\n(th-train --help lists the options)\n`);
    return 2;
  }
  if (args.dryRun) {
    out(`${JSON.stringify({ backend: args.backend, ...config }, null, 2)}\n`);
    return 0;
  }
  const report = await init({ backend: args.backend as never, precision: config.precision });
  process.stderr.write(`backend: using ${report.backend} (${report.reason})\n`);
  if (args.verbose)
    for (const s of report.skipped)
      process.stderr.write(`backend: skipped ${s.backend}: ${s.reason}\n`);
  if (config.finetune.enabled) {
    const r = await finetuneRun(config);
    out(
      `${JSON.stringify({ runDir: r.runDir, identity: r.identity, steps: r.steps, before: r.before, after: r.after })}\n`,
    );
  } else {
    const r = await trainRun(config);
    out(
      `${JSON.stringify({ runDir: r.runDir, step: r.step, examplesSeen: r.examplesSeen, last: r.rows.at(-1) })}\n`,
    );
  }
  return 0;
}

const isEntry = process.argv[1] && /th-train|cli\.(js|ts)$/.test(process.argv[1]);
if (isEntry) {
  // Ctrl-C: files being written (checkpoints, samples) are removed; the run stays resumable.
  cleanUpOnInterrupt('th-train');
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      // One line that names the problem (the file, the field); no stack trace.
      process.stderr.write(`th-train: error: ${(e as Error).message ?? e}\n`);
      process.exit(1);
    },
  );
}
