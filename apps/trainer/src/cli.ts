import { init } from '@th/backend';
import { finetuneRun, latestRunDir, trainRun } from '@th/train/node';
import { HELP, parseCliArgs } from './cli-args';
import { resolveConfig } from './resolve-config';

/** th-train entry point; returns the exit code. */
export async function main(
  argv: readonly string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  let args: ReturnType<typeof parseCliArgs>;
  let config: ReturnType<typeof resolveConfig>;
  try {
    args = parseCliArgs(argv);
    if (args.help) {
      out(HELP);
      return 0;
    }
    config = resolveConfig(args);
  } catch (e) {
    process.stderr.write(`th-train: ${(e as Error).message}\n`);
    return 2;
  }
  if (args.dryRun) {
    out(`${JSON.stringify({ backend: args.backend, ...config }, null, 2)}\n`);
    return 0;
  }
  if (config.resume === 'latest') {
    const latest = await latestRunDir(config.run.parent);
    if (!latest) throw new Error(`--resume: no run directory under ${config.run.parent}`);
    config.resume = latest;
  }
  const report = await init({
    backend: args.backend as never,
    log: (l) => process.stderr.write(`backend: ${l}\n`),
  });
  process.stderr.write(`backend: using ${report.backend} (${report.reason})\n`);
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
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`th-train: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
