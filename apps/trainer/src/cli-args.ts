/** Parsed command line of th-train (before merging with presets and config files). */
export interface CliArgs {
  help: boolean;
  version: boolean;
  /** Also say why backends were skipped. */
  verbose: boolean;
  dryRun: boolean;
  backend: string;
  configFile: string | null;
  /** Dotted-path overrides from flags and --set, in order (later wins). */
  overrides: Array<[string, unknown]>;
  /** --examples N: converted to steps once the batch size is known. */
  examples: number | null;
}

const VALUE_FLAGS: Record<string, string> = {
  '--preset': 'preset',
  '--stage': 'stage',
  '--data': 'data.path',
  '--data-cache': 'data.cache',
  '--landmarks': 'data.landmarks',
  '--shuffle-buffer': 'data.shuffleBuffer',
  '--loader-workers': 'data.workers',
  '--rank': 'data.rank',
  '--world-size': 'data.worldSize',
  '--run-dir': 'run.parent',
  '--name': 'run.desc',
  '--steps': 'steps',
  '--batch': 'batch',
  '--k': 'k',
  '--seed': 'seed',
  '--init': 'init',
  '--identity': 'finetune.identity',
  '--vgg-face': 'vggFace',
  '--precision': 'precision',
};

/** A value from the command line: JSON when it parses (numbers, null, true), else the string. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Parse argv (without node and script). Unknown flags and missing values are errors. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = {
    help: false,
    version: false,
    verbose: false,
    dryRun: false,
    backend: 'auto',
    configFile: null,
    overrides: [],
    examples: null,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--version') args.version = true;
    else if (flag === '--verbose') args.verbose = true;
    else if (flag === '--dry-run') args.dryRun = true;
    else if (flag === '--finetune') args.overrides.push(['finetune.enabled', true]);
    else if (flag === '--all-source-frames') args.overrides.push(['finetune.targets', 'all']);
    else if (flag === '--no-holdout') args.overrides.push(['data.holdout', false]);
    else if (flag === '--resume') {
      // optional value: a checkpoint or run dir; bare --resume means the latest run
      const next = argv[i + 1];
      const path = next !== undefined && !next.startsWith('--') ? next : 'latest';
      if (path !== 'latest') i++;
      args.overrides.push(['resume', path]);
    } else if (flag === '--backend') args.backend = value(i++, flag);
    else if (flag === '--config') args.configFile = value(i++, flag);
    else if (flag === '--examples') {
      const n = Number(value(i++, flag));
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`--examples must be a positive integer, got ${argv[i]}`);
      args.examples = n;
    } else if (flag === '--set') {
      const pair = value(i++, flag);
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`--set expects key=value, got "${pair}"`);
      args.overrides.push([pair.slice(0, eq), parseValue(pair.slice(eq + 1))]);
    } else if (flag in VALUE_FLAGS) {
      const key = VALUE_FLAGS[flag]!;
      const raw = value(i++, flag);
      const numeric = ['data.shuffleBuffer', 'data.workers', 'data.rank', 'data.worldSize'];
      args.overrides.push([
        key,
        (key.startsWith('data.') && !numeric.includes(key)) ||
        key === 'run.parent' ||
        key === 'init' ||
        key === 'vggFace' ||
        key === 'precision' ||
        key.startsWith('finetune.') ||
        key === 'run.desc'
          ? raw
          : parseValue(raw),
      ]);
    } else throw new Error(`unknown option ${flag}`);
  }
  return args;
}

/** Set `path` (a.b.c) in a plain object, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, v: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = v;
}

/** Deep merge of plain objects (b wins). */
export function deepMerge(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev)
        ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

export const HELP = `th-train: train LSR (two stages) or fine-tune it on a subject

Usage:
  th-train --data DATASET [options]          a new run under --run-dir (default ./runs)
  th-train --resume [RUN|CHECKPOINT] [opts]  continue a run as its config.json recorded it
  th-train --finetune --init MODEL --data DATASET [--identity ID]
  th-train --help | --version

Data and model:
  --data PATH            required for a new run: a dataset made by th-data prepare (at the
                         preset's resolution), or a folder of clips (<id>/<video>/<utt>.mp4) or
                         frames (e.g. FSTH frames/ with train/ and test/), prepared into
                         --data-cache first, with progress
  --preset NAME          lsr-64 (default), lsr-128, lsr-224, lsr-224-supp
  --config FILE          JSON config (see config.json of any run); preset < config file < flags
  --stage 1|2            1 = layout pre-training (default), 2 = full pipeline
  --data-cache DIR       where folders are prepared to (default: <run-dir>/datasets)
  --landmarks L          a folder's landmarks: detect (face-api, default; needs the npm package
                         @vladmandic/face-api), json (NNNNN_landmarks.json beside each frame)
                         or FILE.json (frame path -> 68 points)
  --no-holdout           skip the evaluation on the dataset's 'test' split
  --shuffle-buffer N     utterances in the loader's shuffle buffer (default 256)
  --loader-workers N     loader decode threads (default min(2, cores - 1))
  --rank R --world-size W  this process's disjoint part of every epoch (multi-GPU / machines)

Run:
  --run-dir DIR          parent of the numbered run directories (default: runs)
  --name DESC            run name suffix
  --steps N | --examples N
  --batch N              examples per step (default 4)
  --k N                  shots per example (default 4)
  --seed N
  --backend B            auto (default: the fastest that works here, tensorflow > webgpu > wasm
                         > cpu), or cpu, wasm, webgpu (npm packages @tensorflow/tfjs-backend-webgpu
                         and webgpu), tensorflow (@tensorflow/tfjs-node-gpu or -node)
  --precision P          f32 (default) or mixed: convolutions and matmuls with f16 operands and
                         f32 accumulation on WebGPU (tensor cores where offered), dynamic loss
                         scaling (its start: --set lossScale.initial=N); one log line says which
                         GEMM path runs
  --init PATH            stage 2: warm start E^l, G^l from a stage-1 checkpoint, or every network
                         (D too) from a stage-2 one (continue a run elsewhere from its weights);
                         fine-tuning: the model
  --resume [PATH]        continue a run directory (its newest good checkpoint; a damaged one is
                         reported and the previous one used) or a checkpoint file; default: the
                         newest run under --run-dir. The run continues with the config.json it
                         recorded: flags that change what the run is (preset, model, stage, seed,
                         batch, k, data, feature networks) are refused; others (e.g. --steps to
                         train longer) are applied with a warning and recorded in config.json
  --finetune             subject fine-tuning (docs/design.md#finetuning) of --init on one identity
                         of --data: its K shots, evaluated on its hold-out frames
  --identity ID          the identity to fine-tune (default: the first)
  --all-source-frames    fine-tune on all source frames instead of the K shots
  --vgg-face FILE        VGG-Face safetensors (tools/python/convert-vggface-h5.py): turns on the
                         VGG-Face perceptual (0.002/layer) and identity (1) losses; without it they
                         are 0 (logged)
  --set key=value        any config field by dotted path, e.g. --set losses.stage2.l1=2;
                         --set captureSteps=true records stage-2 / fine-tuning steps once on
                         WebGPU and replays them without tfjs (experimental; else eager)
  --dry-run              print the resolved config and exit
  --verbose              also say why other backends were skipped
  --help, --version

Exit status: 0 done, 1 failed (the message names the file or field), 2 usage error, 130
interrupted (Ctrl-C; unfinished files removed, the run resumable).
`;
