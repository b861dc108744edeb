/**
 * The `th` command line, as a function (testable in-process): returns the exit code; 0 success,
 * 1 a failed job (the message names the problem), 2 a usage error. `--help` on the program or on
 * any command prints that help on stdout and exits 0; `--version` prints the package version.
 */
import type { LandmarkDetector } from '@th/data';
import { type OptionSpec, type Parsed, parseArgs, UsageError } from './args';
import { detectCommand } from './detect-command';
import { infoCommand } from './info';
import { reenactCommand } from './reenact-command';
import { DETECT_USAGE, INFO_USAGE, REENACT_USAGE, USAGE } from './usage';
import { versionLine } from './version';

export interface CliIo {
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
  /** Injected landmark detector (tests); default face-api. */
  detector?: LandmarkDetector;
}

interface CommandIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  io: CliIo;
}

interface Command {
  options: Record<string, OptionSpec>;
  usage: string;
  run(parsed: Parsed, io: CommandIo): Promise<void>;
}

const REENACT: Record<string, OptionSpec> = {
  source: { kind: 'list' },
  driver: { kind: 'value' },
  out: { kind: 'value' },
  checkpoint: { kind: 'value' },
  k: { kind: 'value' },
  finetune: { kind: 'flag' },
  'finetune-steps': { kind: 'value' },
  'finetune-lr': { kind: 'value' },
  'finetune-losses': { kind: 'value' },
  vgg19: { kind: 'value' },
  'vgg-face': { kind: 'value' },
  panels: { kind: 'flag' },
  'adapt-shape': { kind: 'flag' },
  'no-face': { kind: 'value' },
  'max-frames': { kind: 'value' },
  backend: { kind: 'value' },
  precision: { kind: 'value' },
  'no-capture': { kind: 'flag' },
  quiet: { kind: 'flag' },
  verbose: { kind: 'flag' },
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

const COMMANDS: Record<string, Command> = {
  reenact: {
    options: REENACT,
    usage: REENACT_USAGE,
    run: (parsed, { stdout, stderr, io }) =>
      reenactCommand(parsed, {
        stdout,
        stderr,
        // Injected stderr (tests, embedding): plain lines; the real one: redrawn bars on a terminal.
        progress: io.stderr ? { write: io.stderr, isTTY: false } : process.stderr,
        detector: io.detector,
      }),
  },
  detect: {
    options: DETECT,
    usage: DETECT_USAGE,
    run: (parsed, { stdout, stderr }) => detectCommand(parsed, { stdout, stderr }),
  },
  info: {
    options: INFO,
    usage: INFO_USAGE,
    run: (parsed, { stdout }) => infoCommand(parsed, stdout),
  },
};

const isHelp = (arg: string) => arg === '--help' || arg === '-h';

export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? ((s: string) => void process.stdout.write(s));
  const stderr = io.stderr ?? ((s: string) => void process.stderr.write(s));
  const [command, ...rest] = argv;
  const known = command !== undefined ? COMMANDS[command] : undefined;
  try {
    if (command === undefined || isHelp(command)) {
      stdout(USAGE);
    } else if (command === '--version' || command === 'version') {
      stdout(`${versionLine()}\n`);
    } else if (command === 'help') {
      const topic = rest[0];
      if (topic === undefined) stdout(USAGE);
      else if (COMMANDS[topic]) stdout(COMMANDS[topic].usage);
      else
        throw new UsageError(
          `no help for "${topic}": commands are ${Object.keys(COMMANDS).join(', ')}`,
        );
    } else if (!known) {
      throw new UsageError(`unknown command "${command}"`);
    } else if (rest.some(isHelp)) {
      stdout(known.usage);
    } else {
      await known.run(parseArgs(rest, known.options), { stdout, stderr, io });
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      const help = known ? `th ${command} --help` : 'th --help';
      stderr(`th: ${e.message}\n(${help} lists the options)\n`);
      return 2;
    }
    stderr(`th: error: ${(e as Error).message}\n`);
    return 1;
  }
}
