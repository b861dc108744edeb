// The th-eval command as a function of its arguments, returning the exit status: 0 done, 1 failed
// (the message names the file or problem), 2 usage error. The binary (th-eval.ts) and the GPU
// machine's bundle (tools/device/eval-entry.ts) both run it.
import { createRequire } from 'node:module';
import { cleanUpOnInterrupt } from '@th/data/node';
import { runThEval, TH_EVAL_USAGE, ThEvalUsageError } from './th-eval-run';

const HELP = `th-eval: the FSTH evaluation of LSR models (Table-2 metrics, meta-learned and fine-tuned)

${TH_EVAL_USAGE}
  --help     this text
  --version  the package version
`;

export function thEvalMain(argv: string[]): Promise<number> | number {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (argv.includes('--version')) {
    const req = createRequire(import.meta.url);
    const { name, version } = req('@th/eval/package.json') as { name: string; version: string };
    process.stdout.write(`${name} ${version}\n`);
    return 0;
  }
  cleanUpOnInterrupt('th-eval'); // outputs are written atomically: only temp files to remove
  return runThEval(argv).then(
    () => 0,
    (error: unknown) => {
      const { code, message } = error as { code?: string; message?: string };
      const text = message ?? String(error);
      if (error instanceof ThEvalUsageError || code?.startsWith('ERR_PARSE_ARGS')) {
        const option = /'(-[^']*)'/.exec(text)?.[1];
        const why = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `unknown option ${option}` : text;
        process.stderr.write(`th-eval: ${why}\n(th-eval --help lists the options)\n`);
        return 2;
      }
      process.stderr.write(`th-eval: error: ${text}\n`);
      return 1;
    },
  );
}
