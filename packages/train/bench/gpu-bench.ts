/**
 * The @th half of `npm run bench:gpu` (scripts/bench-gpu.sh runs it once per variant, next to the
 * PyTorch reference, and merges the results). One process per variant:
 *
 *   th     @th's WebGPU runtime: multi-tensor Adam, fused kernels, cached bind groups, capped pool
 *   mixed  the same with precision 'mixed': f16 GEMM operands with f32 accumulation (tensor cores
 *          where the adapter offers subgroup matrices), dynamic loss scaling; inference as
 *          `th reenact --precision mixed` runs it (weights split into two f16 terms) and with
 *          every operand f16
 *   tfjs   tfjs-webgpu as it comes (per-variable Adam, no fused kernels, tfjs' pool and uploads)
 *
 * It times the lsr-224 stage-2 step (Stage2Trainer.step: G and D gradients with R1 + R2 every
 * step, the one finite check, both Adams), splits one step into phases, profiles one step per
 * GPU program (timestamp queries), counts kernels, records peak GPU memory, times the same step
 * captured once and replayed (docs/design.md#captured-steps), and times inference with cached
 * latents (eager, and replayed from a captured graph). Synthetic inputs.
 *
 *   node gpu-bench.mjs run  <th|mixed|tfjs> <out.json>
 *   node gpu-bench.mjs merge <out-dir>     (reads th.json, mixed.json, tfjs.json, torch-*.json)
 *
 * Environment: TH_BENCH_PRESET (lsr-224), TH_BENCH_BATCH (4), TH_BENCH_K (4), TH_BENCH_WARMUP (1),
 * TH_BENCH_STEPS (2; baseline TH_BENCH_BASELINE_STEPS, 1), TH_BENCH_INFER_ITERS (30; baseline
 * TH_BENCH_BASELINE_INFER_ITERS, 10), TH_BENCH_INFER_BATCHES (1,8), TH_BENCH_PROFILE (1),
 * TH_BENCH_CAPTURED_STEP (1: also time the step captured and replayed, th_captured_step_s),
 * TH_BENCH_RESULTS (where `merge` writes the results JSON).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  captureGraph,
  countKernels,
  type DispatchProfile,
  init,
  mergeProfiles,
  profileDispatches,
  restoreStockWebGpuKernels,
  runtimeBytes,
  setPrecision,
  stepBoundary,
  TFJS_WEBGPU_DEFAULTS,
  webgpuRuntime,
} from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { Stage2Trainer, stage2DiscriminatorLoss, stage2GeneratorLoss } from '../src/index';
import { discriminatorOf } from '../src/loop/discriminator-fn';
import { checkFinite } from '../src/loop/finite-check';
import { disposeLossGradients, lossGradients } from '../src/loop/gradients';
import {
  benchStage2Batch,
  benchStage2Losses,
  benchStage2Trainer,
  benchImage as img,
} from './synthetic-inputs';

const env = process.env;
const num = (name: string, fallback: number) => Number(env[name] ?? fallback);
const GIB = 2 ** 30;

function writeJson(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 1)}\n`);
  renameSync(`${path}.tmp`, path);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};

type Variant = 'th' | 'mixed' | 'tfjs';

async function runVariant(variant: Variant, out: string): Promise<void> {
  const th = variant !== 'tfjs';
  const mixed = variant === 'mixed';
  const report = await init({
    backend: 'webgpu',
    webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu'),
    ...(th ? {} : { webgpuRuntime: TFJS_WEBGPU_DEFAULTS, earlyFreeBackprop: false }),
    ...(mixed ? { precision: 'mixed' as const } : {}),
  });
  // The baseline is tfjs-webgpu as it comes: its own convolution and matmul kernels too.
  if (!th) restoreStockWebGpuKernels();
  const runtime = webgpuRuntime()!;
  const be = tf.backend() as unknown as {
    adapterInfo?: { vendor?: string; architecture?: string };
  };
  const preset = (env.TH_BENCH_PRESET ?? 'lsr-224') as PresetName;
  const batch = num('TH_BENCH_BATCH', 4);
  const k = num('TH_BENCH_K', 4);
  const config = presetConfig(preset);
  const r = config.resolution;
  const log = (line: string) => console.log(`[${variant}] ${line}`);
  log(`${preset} batch ${batch} K ${k}; ${report.addedKernels.join('; ') || 'tfjs defaults'}`);
  log(`precision ${report.precision.requested}: ${report.precision.reason}`);

  const model = new LsrModel(config, { checkRange: false }).initialize(0);
  const losses = benchStage2Losses();
  const trainer = benchStage2Trainer(model, th);
  const batchData = benchStage2Batch(batch, k, r);
  const lr = 1e-4;
  const stepLosses: Array<Record<string, number>> = [];
  const walls: number[] = [];
  const skipped: string[] = [];

  // Warm-up (pipeline compilation, pool growth), then timed product-path steps.
  const warmup = num('TH_BENCH_WARMUP', 1);
  const steps = th ? num('TH_BENCH_STEPS', 2) : num('TH_BENCH_BASELINE_STEPS', 1);
  for (let i = 0; i < warmup + steps; i++) {
    if (i === warmup) runtime.pool.resetPeaks();
    const t0 = performance.now();
    const res = await trainer.step(batchData, lr);
    const ms = performance.now() - t0;
    // Under loss scaling an overflow skips the update (the step's work is done all the same). With
    // f16 operands the bench's random weights and noise images can also overflow an unscaled
    // term (R2's input gradients): counted and reported, since the step's work is the same too.
    if (!res.applied && !res.lossScale?.overflow) {
      if (!mixed) throw new Error(`step ${i + 1} skipped: ${res.problem}`);
      skipped.push(`step ${i + 1}: ${res.problem}`);
      log(`step ${i + 1} skipped (timed all the same): ${res.problem}`);
    }
    if (res.lossScale?.event)
      log(`step ${i + 1}: loss scale event ${JSON.stringify(res.lossScale.event)}`);
    if (runtime.errors.count > 0)
      throw new Error(`GPU errors during step ${i + 1}: ${runtime.errors.first}`);
    stepLosses.push(res.losses);
    if (i >= warmup) walls.push(ms);
    log(
      `step ${i + 1}: ${ms.toFixed(0)} ms, g.total ${res.losses['g.total']}, d.total ${res.losses['d.total']}`,
    );
  }
  const memory = runtime.pool.stats();

  // One step split into phases (a read-back after each, to attribute wall time).
  const D = discriminatorOf(model);
  const sync = async (t: tf.Tensor) => {
    const one = tf.tidy(() => tf.slice(tf.reshape(t, [-1]), [0], [1]));
    await one.data();
    one.dispose();
  };
  const gVars = trainer.gVariables;
  const dVars = trainer.dVariables;
  const gPhase = () => {
    let fake: tf.Tensor4D | null = null;
    const g = lossGradients(() => {
      const lat = model.encode(batchData.sources, batchData.sourceLandmarks);
      const syn = model.synthesize(lat, batchData.targetLandmarks);
      fake = tf.keep(tf.clone(syn.image));
      return stage2GeneratorLoss(
        {
          fake: syn.image,
          real: batchData.target,
          landmarks: batchData.targetLandmarks,
          discriminator: D,
          styleLatent: lat.zs,
          layoutLatent: lat.zl,
        },
        losses,
      );
    }, gVars);
    return { g, fake: fake as unknown as tf.Tensor4D };
  };
  const dPhase = (fake: tf.Tensor4D) =>
    lossGradients(
      () =>
        stage2DiscriminatorLoss(
          { real: batchData.target, fake, landmarks: batchData.targetLandmarks, discriminator: D },
          losses,
        ),
      dVars,
    );
  const phases: Record<string, number> = {};
  {
    stepBoundary();
    const t0 = performance.now();
    const { g, fake } = gPhase();
    await sync(g.total);
    const t1 = performance.now();
    const d = dPhase(fake);
    await sync(d.total);
    const t2 = performance.now();
    const probes = [
      trainer.gOptimizer.nonFiniteProbe(g.grads),
      trainer.dOptimizer.nonFiniteProbe(d.grads),
    ];
    await checkFinite({ g: g.total, d: d.total }, [
      { probe: probes[0]!, gradients: g.grads },
      { probe: probes[1]!, gradients: d.grads },
    ]);
    const t3 = performance.now();
    trainer.gOptimizer.apply(g.grads, lr);
    trainer.dOptimizer.apply(d.grads, lr);
    await sync(Object.values(gVars)[0]!);
    const t4 = performance.now();
    Object.assign(phases, { gMs: t1 - t0, dMs: t2 - t1, finiteCheckMs: t3 - t2, adamMs: t4 - t3 });
    tf.dispose([...probes, fake]);
    disposeLossGradients(g);
    disposeLossGradients(d);
    log(`phases ${JSON.stringify(phases)}`);
  }

  // Kernel counts of one product-path step, and a GPU-time profile of one step's phases.
  const counts = await countKernels(() => trainer.step(batchData, lr));
  log(`kernels ${JSON.stringify(counts)}`);
  let profile: DispatchProfile | null = null;
  if (num('TH_BENCH_PROFILE', 1)) {
    stepBoundary();
    let gOut: ReturnType<typeof gPhase> | null = null;
    let dOut: ReturnType<typeof dPhase> | null = null;
    const pg = await profileDispatches(() => {
      gOut = gPhase();
    });
    const pd = await profileDispatches(() => {
      dOut = dPhase(gOut!.fake);
    });
    const pa = await profileDispatches(() => {
      trainer.gOptimizer.apply(gOut!.g.grads, lr);
      trainer.dOptimizer.apply(dOut!.grads, lr);
    });
    profile = mergeProfiles([pg, pd, pa]);
    const adamGpuMs = pa.totalMs;
    Object.assign(phases, { adamGpuMs, gGpuMs: pg.totalMs, dGpuMs: pd.totalMs });
    tf.dispose(gOut!.fake);
    disposeLossGradients(gOut!.g);
    disposeLossGradients(dOut!);
    log(`profile: ${profile.totalMs.toFixed(0)} ms GPU in ${profile.dispatches} dispatches`);
  }
  trainer.dispose();
  // The same step captured once and replayed without tfjs (docs/design.md#captured-steps), on
  // fresh Adams over the same model: the extra key th_captured_step_s.
  const captured =
    th && num('TH_BENCH_CAPTURED_STEP', 1)
      ? await timeCapturedStep(model, batchData, lr, steps, mixed, log)
      : null;
  tf.dispose(Object.values(batchData));

  // Inference, latents cached: one identity's latents drive batch 1 and batch 8 targets.
  const iters = th ? num('TH_BENCH_INFER_ITERS', 30) : num('TH_BENCH_BASELINE_INFER_ITERS', 10);
  const latents = model.encode(
    img([1, k, r, r, 3], 5) as tf.Tensor5D,
    img([1, k, r, r, 3], 6) as tf.Tensor5D,
  );
  const infer = await timeInference(
    model,
    latents,
    r,
    iters,
    th,
    mixed ? { splitWeights: true } : null,
  );
  // Every operand f16 (the training setting), for comparison.
  const inferPlain = mixed
    ? await timeInference(model, latents, r, iters, th, { splitWeights: false })
    : null;
  tf.dispose([latents.zs, latents.zl]);

  writeJson(out, {
    variant,
    precision: report.precision,
    gpuErrors: runtime.errors,
    bindCache: runtime.bindCache,
    uploads: runtime.uploads,
    adapter: be.adapterInfo ?? null,
    runtime: runtime.options,
    preset,
    batch,
    k,
    warmup,
    steps,
    stepMs: walls,
    stepMedianMs: median(walls),
    phases,
    losses: stepLosses,
    skippedSteps: skipped,
    memory,
    counts,
    profile,
    infer,
    inferPlain,
    captured,
  });
  log(`wrote ${out}`);
}

/**
 * Captured stage-2 steps: the first (capture, then its replay) timed apart, then `steps`
 * replays: wall time, the replay's JavaScript up to its submit, the wait for the read-back, and
 * the dispatches of one replay. Failures are recorded, never fatal (the other numbers stand).
 */
async function timeCapturedStep(
  model: LsrModel,
  batchData: ReturnType<typeof benchStage2Batch>,
  lr: number,
  steps: number,
  mixed: boolean,
  log: (line: string) => void,
): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const trainer = new Stage2Trainer(model, {
    losses: benchStage2Losses(),
    captureSteps: true,
    log: (l) => {
      lines.push(l);
      log(l);
    },
  });
  const errorsBefore = webgpuRuntime()!.errors.count;
  try {
    const walls: number[] = [];
    const timings: unknown[] = [];
    let firstMs = 0;
    for (let i = 0; i <= steps; i++) {
      const t0 = performance.now();
      const res = await trainer.step(batchData, lr);
      const ms = performance.now() - t0;
      if (!res.applied && !res.lossScale?.overflow && !mixed)
        throw new Error(`captured step ${i + 1} skipped: ${res.problem}`);
      const t = trainer.captured!.lastTimings;
      if (i === 0) firstMs = ms;
      else walls.push(ms);
      timings.push(t);
      log(`captured step ${i + 1}: ${ms.toFixed(0)} ms ${JSON.stringify(t)}`);
    }
    const unavailable = trainer.captured!.unavailable;
    // An out-of-memory (the graph holds one step's working set beside tfjs' pool) surfaces as a
    // device error, not an exception: such a result is void.
    const errors = webgpuRuntime()!.errors;
    if (errors.count > errorsBefore)
      throw new Error(`GPU errors during the captured steps: ${errors.first}`);
    return {
      unavailable,
      firstStepMs: firstMs,
      stepMs: walls,
      stepMedianMs: unavailable ? null : median(walls),
      timings,
      dispatches: trainer.captured!.kernelCounts(),
      runtimeBytes: runtimeBytes(),
      log: lines,
    };
  } catch (err) {
    log(`captured steps failed: ${(err as Error).message}`);
    return { error: String((err as Error).message ?? err), log: lines };
  } finally {
    trainer.dispose();
  }
}

/**
 * Inference with cached latents at each batch of TH_BENCH_INFER_BATCHES: eager, and replayed
 * from a captured graph (@th only); under `mixed` with the given weight handling.
 */
async function timeInference(
  model: LsrModel,
  latents: { zs: tf.Tensor; zl: tf.Tensor },
  r: number,
  iters: number,
  th: boolean,
  mixed: { splitWeights: boolean } | null,
): Promise<Record<string, unknown>> {
  if (mixed) setPrecision('mixed', mixed);
  const log = (line: string) =>
    console.log(`[infer${mixed ? ` mixed split=${mixed.splitWeights}` : ''}] ${line}`);
  const img = (shape: number[], seed: number) =>
    tf.tidy(() => tf.tanh(tf.randomNormal(shape, 0, 1, 'float32', seed)));
  const infer: Record<string, unknown> = {};
  for (const n of (env.TH_BENCH_INFER_BATCHES ?? '1,8').split(',').map(Number)) {
    const lms = img([n, r, r, 3], 7 + n) as tf.Tensor4D;
    const synth = ([zs, zl, l]: tf.Tensor[]) => [
      model.synthesize({ zs: zs as tf.Tensor2D, zl: zl as tf.Tensor2D }, l as tf.Tensor4D).image,
    ];
    const time = async (call: () => tf.Tensor, count: number) => {
      const ms: number[] = [];
      for (let i = 0; i < count + 3; i++) {
        const t0 = performance.now();
        const image = call();
        await image.data();
        image.dispose();
        if (i >= 3) ms.push(performance.now() - t0);
      }
      return median(ms);
    };
    const inputs = [latents.zs, latents.zl, lms];
    const eagerMs = await time(() => tf.tidy(() => synth(inputs)[0]!), Math.max(5, iters / 3));
    const counted = await countKernels(() => tf.dispose(tf.tidy(() => synth(inputs))));
    // Where batch-1 inference spends its GPU time (it is GPU-bound once captured).
    const profile =
      th && n === 1 && num('TH_BENCH_PROFILE', 1)
        ? await profileDispatches(() => tf.dispose(tf.tidy(() => synth(inputs))))
        : null;
    const graph = th ? captureGraph(synth, inputs) : null;
    const capturedMs = graph ? await time(() => graph.run(inputs)[0]!, iters) : null;
    infer[`b${n}`] = {
      eagerMs,
      eagerFps: (1000 * n) / eagerMs,
      capturedMs,
      capturedFps: capturedMs ? (1000 * n) / capturedMs : null,
      kernels: counted.kernels,
      dispatches: counted.dispatches,
      ...(profile ? { profile } : {}),
    };
    log(`inference batch ${n}: ${JSON.stringify(infer[`b${n}`])}`);
    graph?.dispose();
    lms.dispose();
  }
  return infer;
}

interface VariantResult {
  adapter: unknown;
  stepMedianMs: number;
  phases: Record<string, number>;
  losses: Array<Record<string, number>>;
  memory: { peakAllocatedBytes: number; peakUsedBytes: number; runtimeBytes: number };
  counts: { kernels: number; kernelsWithoutDispatch: number; dispatches: number };
  profile: DispatchProfile | null;
  infer: Record<string, { eagerFps: number; capturedFps: number | null }>;
  inferPlain?: Record<string, { eagerFps: number; capturedFps: number | null }> | null;
  precision?: { gemm: string; reason: string };
  captured?: { stepMedianMs?: number | null } | null;
}

const readJson = <T>(path: string): T | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
};

/** Markdown table of the top programs by GPU time. */
function profileTable(p: DispatchProfile | null, top = 10): string {
  if (!p) return '(no profile)';
  const rows = p.programs
    .slice(0, top)
    .map(
      (r) =>
        `| ${r.name} | ${r.dispatches} | ${r.ms.toFixed(1)} | ${((100 * r.ms) / p.totalMs).toFixed(1)} % |`,
    );
  return [
    '| GPU program | dispatches | GPU ms | share |',
    '|---|---|---|---|',
    ...rows,
    `| all (${p.programs.length} programs) | ${p.dispatches} | ${p.totalMs.toFixed(1)} | 100 % |`,
  ].join('\n');
}

/** The batch-1 inference profile of a variant's run, if it was profiled. */
const inferProfile = (r: VariantResult | null) =>
  ((r?.infer as Record<string, { profile?: DispatchProfile }> | undefined)?.b1?.profile ??
    null) as DispatchProfile | null;

/** Markdown table of the top calls (program and shape) by GPU time: which calls to fuse or retile. */
function callTable(p: DispatchProfile | null, top = 25): string {
  if (!p?.calls?.length) return '(no profile)';
  const rows = p.calls
    .slice(0, top)
    .map(
      (c) =>
        `| ${c.name} | ${c.outputShape.join('×') || '–'} | ${c.workgroups.join('×') || '–'} | ${c.dispatches} | ${c.ms.toFixed(2)} | ${((1000 * c.ms) / c.dispatches).toFixed(0)} |`,
    );
  return [
    '| GPU program | output shape | workgroups | dispatches | GPU ms | µs each |',
    '|---|---|---|---|---|---|',
    ...rows,
    `| all (${p.calls.length} program-shape pairs) | | | ${p.dispatches} | ${p.totalMs.toFixed(1)} | |`,
  ].join('\n');
}

/** A variant's median captured stage-2 step in seconds (null: not run, failed or fell back). */
const capturedSeconds = (r: VariantResult | null) =>
  r?.captured?.stepMedianMs != null ? r.captured.stepMedianMs / 1000 : null;

function merge(dir: string): void {
  const th = readJson<VariantResult>(join(dir, 'th.json'));
  const mixed = readJson<VariantResult>(join(dir, 'mixed.json'));
  const base = readJson<VariantResult>(join(dir, 'tfjs.json'));
  const bestFps = (r?: { eagerFps: number; capturedFps: number | null }) =>
    r ? Math.max(r.eagerFps, r.capturedFps ?? 0) : null;
  const torch = (name: string) => readJson<Record<string, number>>(join(dir, `torch-${name}.json`));
  const fp32 = torch('step-fp32');
  const best = ['step-tf32-fold-cl', 'step-bf16-fold-cl']
    .map((n) => torch(n))
    .filter((x): x is Record<string, number> => x !== null)
    .sort((a, b) => a.step_s_median! - b.step_s_median!)[0];
  const inferB1 = torch('infer-fp32-b1');
  const inferB8 = torch('infer-fp32-b8');
  const device = readJson<{ name?: string }>(join(dir, 'device.json'))?.name ?? 'unknown';
  // Step-1 losses are computed before any update: both variants must agree (same seeds).
  const lossAgreement =
    th && base
      ? Math.max(
          ...Object.keys(base.losses[0]!).map((key) => {
            const a = th.losses[0]![key]!;
            const b = base.losses[0]![key]!;
            return Math.abs(a - b) / Math.max(1e-6, Math.abs(b));
          }),
        )
      : null;
  const b1 = th?.infer.b1;
  const results = {
    device,
    th_step_s: th ? th.stepMedianMs / 1000 : null,
    torch_fp32_step_s: fp32?.step_s_median ?? null,
    torch_best_step_s: best?.step_s_median ?? null,
    torch_best_settings: best ? `${best.dtype}, LSR_BLUR=fold, channels-last` : null,
    th_infer_fps_b1: b1 ? Math.max(b1.eagerFps, b1.capturedFps ?? 0) : null,
    torch_infer_fps_b1: inferB1?.frames_per_s ?? null,
    th_peak_gib: th ? (th.memory.peakAllocatedBytes + th.memory.runtimeBytes) / GIB : null,
    th_adam_ms: th?.phases.adamMs ?? null,
    th_infer_fps_b8: th?.infer.b8
      ? Math.max(th.infer.b8.eagerFps, th.infer.b8.capturedFps ?? 0)
      : null,
    torch_infer_fps_b8: inferB8?.frames_per_s ?? null,
    torch_peak_gib: fp32
      ? (fp32 as unknown as { memory: { peak_reserved_MiB: number } }).memory.peak_reserved_MiB /
        1024
      : null,
    step1_loss_max_rel_diff_th_vs_tfjs: lossAgreement,
    th_mixed_step_s: mixed ? mixed.stepMedianMs / 1000 : null,
    th_captured_step_s: capturedSeconds(th),
    th_mixed_captured_step_s: capturedSeconds(mixed),
    th_mixed_infer_fps_b1: bestFps(mixed?.infer.b1),
    th_mixed_infer_fps_b8: bestFps(mixed?.infer.b8),
    th_mixed_gemm_path: mixed?.precision?.gemm ?? null,
    th_mixed_peak_gib: mixed
      ? (mixed.memory.peakAllocatedBytes + mixed.memory.runtimeBytes) / GIB
      : null,
    mixed: mixed
      ? {
          precision: mixed.precision,
          phases: mixed.phases,
          kernels: mixed.counts,
          infer_split_weights: mixed.infer,
          infer_all_f16: mixed.inferPlain ?? null,
          step1_loss_max_rel_diff_vs_th: th
            ? Math.max(
                ...Object.keys(th.losses[0]!).map((key) => {
                  const a = mixed.losses[0]![key]!;
                  const b = th.losses[0]![key]!;
                  return Math.abs(a - b) / Math.max(1e-6, Math.abs(b));
                }),
              )
            : null,
        }
      : null,
    before: base
      ? {
          th_step_s: base.stepMedianMs / 1000,
          th_adam_ms: base.phases.adamMs,
          th_peak_gib: (base.memory.peakAllocatedBytes + base.memory.runtimeBytes) / GIB,
          th_infer_fps_b1: base.infer.b1?.eagerFps ?? null,
          th_infer_fps_b8: base.infer.b8?.eagerFps ?? null,
          kernels: base.counts,
          phases: base.phases,
        }
      : null,
    after: th
      ? {
          phases: th.phases,
          kernels: th.counts,
          peak_used_gib: th.memory.peakUsedBytes / GIB,
          infer: th.infer,
        }
      : null,
    profile_before: base?.profile ?? null,
    profile_after: th?.profile ?? null,
    profile_mixed: mixed?.profile ?? null,
  };
  const path = env.TH_BENCH_RESULTS ?? join(dir, 'h100-lsr224.json');
  writeJson(path, results);
  const md = [
    `## Kernel profile, before (tfjs-webgpu as it comes), ${device}`,
    '',
    profileTable(base?.profile ?? null),
    '',
    `## Kernel profile, after (@th runtime), ${device}`,
    '',
    profileTable(th?.profile ?? null),
    '',
    `## Kernel profile, @th runtime with precision mixed (${mixed?.precision?.gemm ?? 'not run'}), ${device}`,
    '',
    profileTable(mixed?.profile ?? null),
    '',
    `## Kernel profile, @th inference at batch 1 (latents cached, eager), ${device}`,
    '',
    profileTable(inferProfile(th)),
    '',
    `### By call (program and shape), @th inference at batch 1, f32, ${device}`,
    '',
    callTable(inferProfile(th)),
    '',
    `### By call, @th inference at batch 1, precision mixed (${mixed?.precision?.gemm ?? 'not run'}), ${device}`,
    '',
    callTable(inferProfile(mixed)),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'profile-tables.md'), md);
  console.log(JSON.stringify(results, (k, v) => (k.startsWith('profile') ? undefined : v), 1));
  console.log(md);
}

const [mode, a, b] = process.argv.slice(2);
if (mode === 'run' && (a === 'th' || a === 'mixed' || a === 'tfjs') && b) await runVariant(a, b);
else if (mode === 'merge' && a) merge(a);
else {
  console.error('usage: gpu-bench run <th|mixed|tfjs> <out.json> | gpu-bench merge <dir>');
  process.exitCode = 2;
}
// The WebGPU device keeps Node alive; leave explicitly.
process.exit(process.exitCode ?? 0);
