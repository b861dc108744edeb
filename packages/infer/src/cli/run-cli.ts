/**
 * The `th` command line, as a function (testable in-process): returns the exit code; 0 success,
 * 1 a failed job (the message names the problem), 2 a usage error.
 */
import type { LandmarkDetector } from '@th/data';
import { type OptionSpec, parseArgs, UsageError } from './args';
import { detectCommand } from './detect-command';
import { infoCommand } from './info';
import { reenactCommand } from './reenact-command';
import { USAGE } from './usage';

export interface CliIo {
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  /** Injected landmark detector (tests); default face-api. */
  detector?: LandmarkDetector;
}

const REENACT: Record<string, OptionSpec> = {
  source: { kind: 'list' },
  driver: { kind: 'value' },
  out: { kind: 'value' },
  checkpoint: { kind: 'value' },
  k: { kind: 'value' },
  finetune: { kind: 'flag' },
  'finetune-steps': { kind: 'value' },
  panels: { kind: 'flag' },
  'adapt-shape': { kind: 'flag' },
  'no-face': { kind: 'value' },
  'max-frames': { kind: 'value' },
  backend: { kind: 'value' },
  quiet: { kind: 'flag' },
  label: { kind: 'flag' },
};

const DETECT: Record<string, OptionSpec> = {
  json: { kind: 'flag' },
  sequence: { kind: 'flag' },
  key: { kind: 'value' },
  'max-frames': { kind: 'value' },
  quiet: { kind: 'flag' },
};

const INFO: Record<string, OptionSpec> = { json: { kind: 'flag' } };

export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => void process.stdout.write(s));
  const stderr = io.stderr ?? ((s: string) => void process.stderr.write(s));
  const [command, ...rest] = argv;
  try {
    if (command === 'reenact')
      await reenactCommand(parseArgs(rest, REENACT), {
        stdout,
        stderr,
        // Injected stderr (tests, embedding): plain lines; the real one: redrawn bars on a terminal.
        progress: io.stderr ? { write: io.stderr, isTTY: false } : process.stderr,
        detector: io.detector,
      });
    else if (command === 'info') await infoCommand(parseArgs(rest, INFO), stdout);
    else if (command === 'detect') await detectCommand(parseArgs(rest, DETECT), { stdout, stderr });
    else if (command === undefined || command === 'help' || command === '--help') stdout(USAGE);
    else throw new UsageError(`unknown command "${command}"`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      stderr(`th: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    stderr(`th: error: ${(e as Error).message}\n`);
    return 1;
  }
}
