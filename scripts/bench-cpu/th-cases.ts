/**
 * The @th side of the CPU bench: each case runs in its own Node process (a fresh wasm backend
 * with the requested thread count) and prints one JSON line, like the PyTorch scripts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng, init, wasmThreading } from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { lossConfig, Stage2Trainer } from '@th/train';

export const CASES = ['conv', 'train64', 'infer64', 'infer224'] as const;
export type CaseName = (typeof CASES)[number];

export interface Timing {
  wall_ms: number;
  min_ms: number;
  cpu_ms: number;
  reps: number;
}

/** Median wall and process-CPU milliseconds of `fn` over `reps` calls after `warmup` calls. */
async function timed(
  fn: () => Promise<void> | void,
  reps: number,
  warmup: number,
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1]!;
  return { wall_ms: median(walls), min_ms: Math.min(...walls), cpu_ms: median(cpus), reps };
}

const uniform = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed);

/** Parameter counts per network, named as torch_lsr names them (to check both run one model). */
function parameterCounts(model: LsrModel): Record<string, number> {
  const count = (m: { numParams(): number }) => m.numParams();
  const out: Record<string, number> = {
    Es: count(model.styleEncoder),
    El: count(model.layoutEncoder),
    Gl: count(model.layoutGenerator),
    GI: count(model.imageGenerator),
  };
  if (model.discriminator) out.D = count(model.discriminator);
  return out;
}

/** A call to time (or profile), with the warm-up calls it gets first. */
interface Call {
  name: string;
  fn: () => Promise<void>;
  warmup: number;
}

/** A case set up on the current backend: its calls, and what the parent reports beside them. */
interface PreparedCase {
  calls: Call[];
  info: Record<string, unknown>;
}

/** 3×3 'same' conv, N 4, 64×64, 64→64: forward, and the gradients of sum(conv(x, w)·r). */
function convCase(): PreparedCase {
  const rng = createRng(1);
  const x = tf.tensor4d(rng.normalArray(4 * 64 * 64 * 64), [4, 64, 64, 64]);
  const w = tf.tensor4d(rng.normalArray(9 * 64 * 64, 0.05), [3, 3, 64, 64]);
  const r = tf.tensor4d(rng.normalArray(4 * 64 * 64 * 64), [4, 64, 64, 64]);
  const read = async (...ts: tf.Tensor[]) => {
    for (const t of ts) await t.data();
    tf.dispose(ts);
  };
  const loss = (a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), r));
  return {
    info: { flop_forward: 2 * 4 * 64 * 64 * 64 * 64 * 9 },
    calls: [
      { name: 'forward', fn: () => read(tf.conv2d(x, w, 1, 'same')), warmup: 2 },
      { name: 'step', fn: () => read(...tf.grads(loss)([x, w])), warmup: 2 },
    ],
  };
}

/** One stage-2 step of lsr-64 at batch 4, K 4, R1 + R2, no perceptual losses (as torch_lsr). */
function trainCase(): PreparedCase {
  const model = new LsrModel(presetConfig('lsr-64'), { checkRange: false }).initialize(0);
  const losses = lossConfig({ stage2: { vgg19: 0, vggFacePerLayer: 0, identity: 0 } });
  const trainer = new Stage2Trainer(model, { losses });
  const [b, k, r] = [4, 4, 64];
  const batch = {
    sources: uniform([b, k, r, r, 3], 1) as tf.Tensor5D,
    sourceLandmarks: uniform([b, k, r, r, 3], 2) as tf.Tensor5D,
    target: uniform([b, r, r, 3], 3) as tf.Tensor4D,
    targetLandmarks: uniform([b, r, r, 3], 4) as tf.Tensor4D,
    targetSegmentation: tf.zeros([b, r, r], 'int32') as tf.Tensor3D,
  };
  const step = async () => {
    const result = await trainer.step(batch, 1e-4);
    if (!result.applied) throw new Error(`train64: step not applied (${result.problem})`);
  };
  return {
    info: { params: parameterCounts(model) },
    calls: [{ name: 'train64', fn: step, warmup: 2 }],
  };
}

/** One frame from cached latents at batch 1: G^l, softmax, G^I. */
function inferCase(preset: PresetName): PreparedCase {
  const config = presetConfig(preset);
  const model = new LsrModel(config, { discriminator: false, checkRange: false }).initialize(0);
  const r = config.resolution;
  const latents = model.encode(
    uniform([1, 4, r, r, 3], 1) as tf.Tensor5D,
    uniform([1, 4, r, r, 3], 2) as tf.Tensor5D,
  );
  const landmarks = uniform([1, r, r, 3], 3) as tf.Tensor4D;
  const frame = async () => {
    const out = model.synthesize(latents, landmarks);
    await out.image.data();
    tf.dispose([out.image, out.layout, out.layoutLogits, out.auxRgb]);
  };
  return {
    info: { params: parameterCounts(model) },
    calls: [{ name: 'frame', fn: frame, warmup: preset === 'lsr-224' ? 1 : 3 }],
  };
}

/** Start the wasm backend on `threads` threads and set up case `name` on it. */
async function prepare(name: CaseName, threads: number): Promise<PreparedCase> {
  const report = await init({ backend: 'wasm', wasmThreads: threads });
  if (report.backend !== 'wasm') throw new Error(`bench: wasm did not start (${report.reason})`);
  if (name === 'conv') return convCase();
  if (name === 'train64') return trainCase();
  return inferCase(name === 'infer64' ? 'lsr-64' : 'lsr-224');
}

/** Run one case on the wasm backend with `threads` threads; the JSON line the parent reads. */
export async function runCase(name: CaseName, threads: number, reps: number): Promise<string> {
  const { calls, info } = await prepare(name, threads);
  const timings: Record<string, Timing> = {};
  for (const call of calls) timings[call.name] = await timed(call.fn, reps, call.warmup);
  // conv reports its two calls by name; the LSR cases report their one timing at the top level.
  const body = name === 'conv' ? timings : timings[calls[0]!.name];
  return JSON.stringify({ case: name, threads, threading: wasmThreading(), ...info, ...body });
}

/** Kernel time of one call, summed per tfjs kernel name (`tf.profile`). */
export interface KernelProfile {
  call: string;
  /** Wall time of the profiled call (profiling adds a little per kernel). */
  wall_ms: number;
  /** Sum of all kernels' times; the rest of wall_ms is JavaScript outside kernels. */
  kernel_ms: number;
  kernels: { name: string; calls: number; ms: number }[];
}

/**
 * Profile case `name`: after its warm-up calls, one call of each under `tf.profile`, kernel
 * times summed by kernel name, largest first. A kernel that runs other kernels through the
 * engine (a composite gradient) is counted with them included, so shares can add past 100 %.
 */
export async function profileCase(name: CaseName, threads: number): Promise<string> {
  const { calls } = await prepare(name, threads);
  const profiles: KernelProfile[] = [];
  for (const call of calls) {
    for (let i = 0; i < call.warmup; i++) await call.fn();
    const t0 = performance.now();
    const info = await tf.profile(call.fn);
    const wall = performance.now() - t0;
    const byName = new Map<string, { calls: number; ms: number }>();
    for (const k of info.kernels) {
      const ms = await k.kernelTimeMs;
      const entry = byName.get(k.name) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += typeof ms === 'number' ? ms : 0;
      byName.set(k.name, entry);
    }
    const kernels = [...byName.entries()]
      .map(([kernel, v]) => ({ name: kernel, ...v }))
      .sort((a, b) => b.ms - a.ms);
    const kernelMs = kernels.reduce((sum, k) => sum + k.ms, 0);
    profiles.push({ call: call.name, wall_ms: wall, kernel_ms: kernelMs, kernels });
  }
  return JSON.stringify({ case: name, threads, threading: wasmThreading(), profiles });
}
