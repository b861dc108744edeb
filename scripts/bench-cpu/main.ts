/**
 * CPU bench, @th against PyTorch on the same machine in the same run:
 *
 *   npm run bench:cpu -- --torch-lsr /path/to/torch_lsr [--threads 2] [--rounds 3]
 *
 * Measures a 3×3 conv (N 4, 64×64, 64→64: forward, and a training step = forward + both
 * gradients), one lsr-64 stage-2 training step (batch 4, K 4, R1 + R2) and lsr-64 / lsr-224
 * inference (one frame from cached latents), each on @th's wasm backend and on PyTorch CPU with
 * the same number of threads. Every measurement runs in a fresh process; @th and PyTorch
 * alternate, `rounds` times, and the tables give the median over rounds (each round itself a
 * median over repetitions), with the load average seen, since shared machines are noisy.
 *
 * Options (or environment): --torch-lsr DIR (TH_TORCH_LSR): the torch_lsr folder, needed for the
 * LSR rows; --python PATH (TH_PYTHON, default /usr/bin/python3, which must have torch: Debian's
 * python3-torch); --threads N[,M...] (TH_BENCH_THREADS, default: every core; one table per
 * count); --rounds N (default 3);
 * --cases conv,train64,infer64,infer224; --out PREFIX (default
 * results/backend/cpu-vs-pytorch, writes PREFIX.json and PREFIX.md); --no-readme (do
 * not update the table in packages/backend/README.md).
 *
 * --profile instead profiles @th's side: one call per case under `tf.profile`, kernel time per
 * tfjs kernel (PREFIX default results/backend/cpu-kernel-profile; no PyTorch, no README).
 * --render PREFIX.json re-renders PREFIX.md and the README table from a stored run (no measuring).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileMarkdown } from './profile-report';
import {
  type BenchResult,
  type Row,
  resultSection,
  type Side,
  updateReadme,
  writeAtomic,
} from './report';
import { CASES, type CaseName, type KernelProfile, profileCase, runCase } from './th-cases';

interface Options {
  torchDir: string | null;
  python: string;
  /** Thread counts to measure, each on both sides (e.g. [2, 1]). */
  threads: number[];
  rounds: number;
  cases: CaseName[];
  out: string;
  readme: boolean;
  /** Profile @th's kernels instead of comparing with PyTorch. */
  profile: boolean;
  /** Re-render PREFIX.md and the README table from this PREFIX.json instead of measuring. */
  render: string | null;
}

const REPS: Record<CaseName, number> = { conv: 10, train64: 5, infer64: 20, infer224: 3 };
/** Options without a value. */
const FLAGS = ['--no-readme', '--profile'];
const CHILD_TIMEOUT_MS = 30 * 60 * 1000;

function fail(message: string): never {
  console.error(`bench:cpu: ${message}`);
  process.exit(2);
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) fail(`${flag} needs a value`);
    return v;
  };
  const positive = (flag: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) fail(`${flag} must be a positive integer, got "${text}"`);
    return n;
  };
  const known = [
    '--torch-lsr',
    '--python',
    '--threads',
    '--rounds',
    '--cases',
    '--out',
    '--render',
  ];
  for (const arg of argv) {
    if (arg.startsWith('--') && !known.includes(arg) && !FLAGS.includes(arg)) {
      fail(`unknown option ${arg} (expected ${[...known, ...FLAGS].join(', ')})`);
    }
  }
  const torchDir = value('--torch-lsr') ?? process.env.TH_TORCH_LSR ?? null;
  if (torchDir !== null && !existsSync(join(torchDir, 'lsr.py'))) {
    fail(`--torch-lsr ${torchDir}: no lsr.py there (expected the torch_lsr folder)`);
  }
  const caseList = (value('--cases') ?? CASES.join(',')).split(',').map((c) => c.trim());
  for (const c of caseList) {
    if (!(CASES as readonly string[]).includes(c)) {
      fail(`--cases: unknown case "${c}" (expected ${CASES.join(', ')})`);
    }
  }
  return {
    torchDir: torchDir && resolve(torchDir),
    python: value('--python') ?? process.env.TH_PYTHON ?? '/usr/bin/python3',
    threads: (value('--threads') ?? process.env.TH_BENCH_THREADS ?? String(availableParallelism()))
      .split(',')
      .map((t) => positive('--threads', t.trim(), 1)),
    rounds: positive('--rounds', value('--rounds'), 3),
    cases: caseList as CaseName[],
    out:
      value('--out') ??
      (argv.includes('--profile')
        ? 'results/backend/cpu-kernel-profile'
        : 'results/backend/cpu-vs-pytorch'),
    readme: !argv.includes('--no-readme'),
    profile: argv.includes('--profile'),
    render: value('--render') ?? null,
  };
}

/** Run a command; its last stdout line parsed as JSON, or the reason it failed. */
function runJson(
  command: string,
  args: string[],
): { json: Record<string, unknown> } | { error: string } {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 1 << 26,
  });
  if (r.error) return { error: r.error.message };
  const lines = (r.stdout ?? '').trim().split('\n');
  if (r.status !== 0) {
    const why = (r.stderr ?? '').trim().split('\n').slice(-1)[0] ?? `exit ${r.status}`;
    return { error: why.slice(0, 200) };
  }
  try {
    return { json: JSON.parse(lines[lines.length - 1]!) as Record<string, unknown> };
  } catch {
    return { error: `no JSON result (stdout ended "${lines[lines.length - 1]?.slice(0, 80)}")` };
  }
}

interface Sample {
  wall_ms: number;
  cpu_ms: number;
}

/** What one side reported for one case, as samples per measure (conv: forward and step). */
function samplesOf(name: CaseName, json: Record<string, unknown>): Record<string, Sample> {
  const pick = (t: unknown) => {
    const v = t as { wall_ms: number; cpu_ms: number };
    return { wall_ms: v.wall_ms, cpu_ms: v.cpu_ms };
  };
  if (name === 'conv') return { forward: pick(json.forward), step: pick(json.step) };
  return { [name]: pick(json) };
}

function main(): void {
  const argv = process.argv.slice(2);
  const childIndex = argv.indexOf('--child');
  if (childIndex >= 0) {
    const name = argv[childIndex + 1] as CaseName;
    const threads = Number(argv[argv.indexOf('--threads') + 1]);
    const reps = Number(argv[argv.indexOf('--reps') + 1]);
    const run = argv.includes('--profile')
      ? profileCase(name, threads)
      : runCase(name, threads, reps);
    run.then(
      (line) => {
        console.log(line);
        process.exit(0);
      },
      (err) => {
        console.error(err instanceof Error ? err.message : String(err));
        process.exit(1);
      },
    );
    return;
  }
  const o = parseOptions(argv);
  const root = process.cwd();
  if (!existsSync(join(root, 'packages/backend/package.json'))) {
    fail('run from the repository root (npm run bench:cpu)');
  }
  const self = fileURLToPath(import.meta.url);
  if (o.profile) {
    profileRun(o, self);
    return;
  }
  if (o.render) {
    let result: BenchResult;
    try {
      result = JSON.parse(readFileSync(o.render, 'utf8')) as BenchResult;
    } catch (err) {
      fail(`--render ${o.render}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (result.benchmark !== 'cpu-vs-pytorch' || !Array.isArray(result.tables)) {
      fail(`--render ${o.render}: not a bench:cpu result (no "cpu-vs-pytorch" tables)`);
    }
    writeResult({ ...o, out: o.render.replace(/\.json$/, '') }, root, result);
    return;
  }
  const pyDir = join(root, 'scripts/bench-cpu');
  // Samples per side, keyed by "threads:measure"; notes and parameter counts by "threads:case".
  const th = new Map<string, Sample[]>();
  const torch = new Map<string, Sample[]>();
  const notes = new Map<string, { th?: string; torch?: string }>();
  const params = new Map<string, { th?: unknown; torch?: unknown }>();
  const loads: number[] = [];
  let torchVersion = 'n/a';
  const entry = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    if (!map.has(key)) map.set(key, make());
    return map.get(key)!;
  };
  const noteOf = (key: string) => entry(notes, key, (): { th?: string; torch?: string } => ({}));
  const paramsOf = (key: string) =>
    entry(params, key, (): { th?: unknown; torch?: unknown } => ({}));
  const record = (
    bucket: Map<string, Sample[]>,
    threads: number,
    name: CaseName,
    json: Record<string, unknown>,
  ) => {
    for (const [measure, s] of Object.entries(samplesOf(name, json))) {
      entry(bucket, `${threads}:${measure}`, () => []).push(s);
    }
  };
  for (let round = 1; round <= o.rounds; round++) {
    for (const name of o.cases) {
      for (const threads of o.threads) {
        const key = `${threads}:${name}`;
        const what = `round ${round}/${o.rounds} ${name}, ${threads} thread(s)`;
        loads.push(loadavg()[0]!);
        console.error(`bench:cpu: ${what}: @th ...`);
        const childArgs = ['--child', name, '--threads', String(threads)];
        const a = runJson(process.execPath, [self, ...childArgs, '--reps', String(REPS[name])]);
        if ('json' in a) {
          record(th, threads, name, a.json);
          paramsOf(key).th = a.json.params;
        } else {
          noteOf(key).th = `error: ${a.error}`;
        }
        console.error(`bench:cpu: ${what}: PyTorch ...`);
        const b = runTorch(o, pyDir, name, threads);
        if ('json' in b) {
          record(torch, threads, name, b.json);
          paramsOf(key).torch = b.json.params;
          torchVersion = String(b.json.torch);
        } else {
          noteOf(key).torch = b.error;
        }
      }
    }
  }
  loads.push(loadavg()[0]!);
  const side = (samples: Sample[] | undefined, note: string | undefined): Side => {
    if (!samples?.length) {
      return { wall_ms: null, cpu_ms: null, rounds: [], note: note ?? 'not run' };
    }
    const median = (v: number[]) => [...v].sort((x, y) => x - y)[v.length >> 1]!;
    return {
      wall_ms: median(samples.map((s) => s.wall_ms)),
      cpu_ms: median(samples.map((s) => s.cpu_ms)),
      rounds: samples.map((s) => s.wall_ms),
    };
  };
  const rowsFor = (threads: number): Row[] => {
    const rowOf = (measure: string, key: string, name: CaseName, unit: Row['unit']): Row => ({
      measure,
      unit,
      th: side(th.get(`${threads}:${key}`), notes.get(`${threads}:${name}`)?.th),
      torch: side(torch.get(`${threads}:${key}`), notes.get(`${threads}:${name}`)?.torch),
    });
    const rows: Row[] = [];
    if (o.cases.includes('conv')) {
      rows.push(rowOf('conv forward, N4 64×64 64→64 3×3', 'forward', 'conv', 'ms'));
      rows.push(rowOf('conv training step (forward + both gradients)', 'step', 'conv', 'ms'));
    }
    if (o.cases.includes('train64')) {
      rows.push(rowOf('lsr-64 training step, batch 4, K 4, R1+R2', 'train64', 'train64', 'ms'));
    }
    if (o.cases.includes('infer64')) {
      rows.push(rowOf('lsr-64 inference, batch 1', 'infer64', 'infer64', 'frames/s'));
    }
    if (o.cases.includes('infer224')) {
      rows.push(rowOf('lsr-224 inference, batch 1', 'infer224', 'infer224', 'frames/s'));
    }
    return rows;
  };
  const tables = o.threads.map((threads) => ({ threads, rows: rowsFor(threads) }));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const threadList = o.threads.join(',');
  const command = `npm run bench:cpu -- --torch-lsr <torch_lsr folder> --threads ${threadList} --rounds ${o.rounds}`;
  const json: BenchResult = {
    benchmark: 'cpu-vs-pytorch',
    date: new Date().toISOString(),
    machine: { cpu, cores: cpus().length, node: process.version, torch: torchVersion },
    rounds: o.rounds,
    loadAverage: {
      min: Number(Math.min(...loads).toFixed(1)),
      max: Number(Math.max(...loads).toFixed(1)),
      samples: loads,
    },
    tables,
    params: Object.fromEntries(params) as BenchResult['params'],
    command,
  };
  writeResult(o, root, json);
}

/** PREFIX.json, PREFIX.md and (unless --no-readme) the backend README's table, from a result. */
function writeResult(o: Options, root: string, json: BenchResult): void {
  const section = resultSection(json, `${o.out}.json`);
  writeAtomic(`${o.out}.json`, `${JSON.stringify(json, null, 2)}\n`);
  writeAtomic(`${o.out}.md`, `# @th wasm vs PyTorch CPU\n\n${section}\n`);
  if (o.readme) updateReadme(join(root, 'packages/backend/README.md'), section);
  console.log(section);
  const also = o.readme ? ' and the backend README table' : '';
  console.error(`bench:cpu: wrote ${o.out}.json, ${o.out}.md${also}`);
}

/** --profile: each case and thread count in its own process; Markdown and JSON of the kernels. */
function profileRun(o: Options, self: string): void {
  const runs: { case: CaseName; threads: number; profiles: KernelProfile[] }[] = [];
  const loads: number[] = [];
  for (const name of o.cases) {
    for (const threads of o.threads) {
      loads.push(loadavg()[0]!);
      console.error(`bench:cpu: profile ${name}, ${threads} thread(s) ...`);
      const args = [self, '--child', name, '--threads', String(threads), '--profile'];
      const r = runJson(process.execPath, args);
      if ('error' in r) fail(`profile ${name}: ${r.error}`);
      runs.push({ case: name, threads, profiles: r.json.profiles as KernelProfile[] });
    }
  }
  loads.push(loadavg()[0]!);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
  const command = `npm run bench:cpu -- --profile --threads ${o.threads.join(',')} --cases ${o.cases.join(',')}`;
  const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${cpus().length} cores), Node ${process.version}; 1-minute load average ${load}. Command: \`${command}\`.`;
  const text = profileMarkdown(header, runs);
  const json = {
    benchmark: 'cpu-kernel-profile',
    date: new Date().toISOString(),
    cpu,
    loads,
    command,
    runs,
  };
  writeAtomic(`${o.out}.json`, `${JSON.stringify(json, null, 2)}\n`);
  writeAtomic(`${o.out}.md`, text);
  console.log(text);
  console.error(`bench:cpu: wrote ${o.out}.json, ${o.out}.md`);
}

function runTorch(o: Options, pyDir: string, name: CaseName, threadCount: number) {
  const threads = String(threadCount);
  const reps = String(REPS[name]);
  if (name === 'conv')
    return runJson(o.python, [
      join(pyDir, 'torch_conv_step.py'),
      '--threads',
      threads,
      '--reps',
      reps,
    ]);
  if (!o.torchDir) return { error: 'not run: pass --torch-lsr DIR (or TH_TORCH_LSR)' };
  const what = name === 'train64' ? 'train' : 'infer';
  const preset = name === 'infer224' ? 'lsr-224' : 'lsr-64';
  const warmup = name === 'infer224' ? '1' : '2';
  const args = ['--lsr-dir', o.torchDir, '--what', what, '--preset', preset, '--threads', threads];
  args.push('--reps', reps, '--warmup', warmup);
  return runJson(o.python, [join(pyDir, 'torch_lsr_bench.py'), ...args]);
}

main();
