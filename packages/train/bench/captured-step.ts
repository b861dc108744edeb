/**
 * Eager against captured stage-2 steps (docs/design.md#captured-steps) on the active WebGPU
 * adapter: two trainers from the same weights take the same steps, one eagerly through tfjs,
 * one replaying the captured graphs. Prints per step the wall time, the JavaScript time up to
 * the last submit (eager: the whole step's encoding before its one read-back; replayed: the
 * replay's encoding) and the wait for the read-back, the kernels and GPU dispatches of one step
 * each way, and whether the losses agree bit for bit. On Mesa lavapipe the wall time is the
 * software GPU's; the JavaScript time is what a real GPU would not hide.
 *
 *   node tools/device/bundle.mjs packages/train/bench/captured-step.ts captured-step
 *   node .device/captured-step.mjs [tiny|lsr-64|lsr-224] [batch 1] [K 2] [steps 4] [penalty interval 1]
 *
 * `tiny` is lsr-64's topology at 1/4 width (the unit tests' model). R1/R2 at D steps divisible
 * by the interval. Synthetic inputs; no perceptual losses (as gpu-bench).
 */
import * as tf from '@tensorflow/tfjs-core';
import { countKernels, init, stepBoundary } from '@th/backend';
import { LsrModel, type PresetName, presetConfig } from '@th/models';
import { lossConfig, Stage2Trainer } from '../src/index';
import { adversarialGradients } from '../src/loop/adversarial-update';
import { discriminatorOf } from '../src/loop/discriminator-fn';
import { disposeLossGradients } from '../src/loop/gradients';
import { TINY_LSR_64 } from '../src/testing/tiny-train-run';
import { benchStage2Batch } from './synthetic-inputs';

const args = process.argv.slice(2);
const which = args[0] ?? 'tiny';
const batch = Number(args[1] ?? 1);
const k = Number(args[2] ?? 2);
const steps = Number(args[3] ?? 4);
const interval = Number(args[4] ?? 1);
for (const [name, v] of [
  ['batch', batch],
  ['K', k],
  ['steps', steps],
  ['penalty interval', interval],
] as const)
  if (!(Number.isInteger(v) && v >= 1))
    throw new Error(`captured-step: ${name} must be an integer >= 1, got ${v}`);

await init({ backend: 'webgpu', webgpuModule: () => import('@tensorflow/tfjs-backend-webgpu') });
const preset = (which === 'tiny' ? 'lsr-64' : which) as PresetName;
const config = presetConfig(preset, which === 'tiny' ? TINY_LSR_64 : {});
const r = config.resolution;
const losses = lossConfig({
  stage2: { vgg19: 0, vggFacePerLayer: 0, identity: 0, penaltyInterval: interval },
});
const make = (captureSteps: boolean) =>
  new Stage2Trainer(new LsrModel(config, { checkRange: false }).initialize(0), {
    losses,
    captureSteps,
    log: (l) => console.log(l),
  });
const data = benchStage2Batch(batch, k, r);
const lr = 1e-4;
const fmt = (ms: number) => ms.toFixed(1).padStart(8);
console.log(`${which} batch ${batch} K ${k}, R1/R2 every ${interval} D step(s), ${steps} steps`);

// Eager: the step's JavaScript (adversarialUpdate up to its read-back) timed apart from the wait.
const eager = make(false);
const eagerLosses: Array<Record<string, number>> = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  const res = await eager.step(data, lr);
  eagerLosses.push(res.losses);
  console.log(`eager    step ${i + 1}: wall ${fmt(performance.now() - t0)} ms`);
}
{
  // The same work as one eager step, with the JavaScript up to the read-back timed.
  stepBoundary();
  const t0 = performance.now();
  const u = {
    generate: () => {
      const lat = eager.model.encode(data.sources, data.sourceLandmarks);
      const out = eager.model.synthesize(lat, data.targetLandmarks);
      return { fake: out.image, styleLatent: lat.zs, layoutLatent: lat.zl };
    },
    real: data.target,
    landmarks: data.targetLandmarks,
    discriminator: discriminatorOf(eager.model),
    losses,
    g: { vars: eager.gVariables, adam: eager.gOptimizer, lr },
    d: { vars: eager.dVariables, adam: eager.dOptimizer, lr },
  };
  const { g, d } = adversarialGradients(u, 1);
  const probes = [
    eager.gOptimizer.nonFiniteProbe(g.grads),
    eager.dOptimizer.nonFiniteProbe(d.grads),
  ];
  const flat = tf.stack([g.total, d.total, ...probes.map((p) => tf.cast(p, 'float32'))]);
  const t1 = performance.now();
  await flat.data();
  const t2 = performance.now();
  console.log(
    `eager    one step's gradients + probes: JavaScript to submit ${fmt(t1 - t0)} ms, read-back wait ${fmt(t2 - t1)} ms (Adam not applied)`,
  );
  tf.dispose([flat, ...probes]);
  disposeLossGradients(g);
  disposeLossGradients(d);
}
const eagerCounts = await countKernels(() => eager.step(data, lr));
console.log(
  `eager    one step: ${eagerCounts.kernels} tfjs kernels, ${eagerCounts.dispatches} tfjs dispatches (+ Adam's own passes)`,
);

const captured = make(true);
let agree = true;
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  const res = await captured.step(data, lr);
  const wall = performance.now() - t0;
  const t = captured.captured!.lastTimings;
  const same = Object.keys(eagerLosses[i]!).every(
    (key) => res.losses[key] === eagerLosses[i]![key],
  );
  agree &&= same;
  console.log(
    `captured step ${i + 1}: wall ${fmt(wall)} ms` +
      (t
        ? `, capture ${t.captureMs === null ? '      -' : fmt(t.captureMs)} ms, JavaScript to submit ${fmt(t.submitMs)} ms, read-back wait ${fmt(t.readBackMs)} ms`
        : ' (eager fallback)') +
      `, losses ${same ? 'bit-identical to eager' : 'DIFFER from eager'}`,
  );
}
console.log(
  `captured one replay: ${JSON.stringify(captured.captured!.kernelCounts())} GPU dispatches by graph`,
);
console.log(`losses of all ${steps} steps bit-identical: ${agree}`);
for (const t of [eager, captured]) {
  t.dispose();
  t.model.dispose();
}
tf.dispose(Object.values(data));
